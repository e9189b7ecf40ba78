/**
 * Durable entities in the local host: each entity (`@name@key`, the SDK's scheduler id)
 * has its state, a queue of messages and at most one orchestration holding it locked.
 * Operations run in batches through the real entity handler that `df.app.entity`
 * registered (an `entityTrigger`), one batch at a time per entity, as the extension runs
 * them: the handler gets `{ self, exists, state, batch }` and returns the new state, a
 * result per operation and the signals it sends.
 *
 * Messages come from orchestrations (calls answered with an `EventRaised` named after
 * the request id, signals, lock requests, releases), from clients (signals) and from
 * entities (signals). A lock request visits the entities of its set in order, each
 * locking itself for the orchestration, and the last one answers it; while locked an
 * entity takes operations only from its holder. With a store every message is logged
 * before it is queued, and every batch commits the state, the ids it consumed and the
 * answers it sends, so a killed host neither loses nor repeats an operation.
 */
import { randomUUID } from 'node:crypto';
import { EventType, event, type HistoryEvent } from './history.ts';
import type { EntityCommit, EntityMessage } from './records.ts';
import type { InstanceStore } from './store.ts';

interface EntityRegistration {
  readonly callback: (trigger: unknown, context: unknown) => unknown;
}

interface BatchResult {
  readonly entityExists: boolean;
  readonly entityState?: string;
  readonly results: readonly ({ readonly isError: boolean; readonly result?: string } | undefined)[];
  readonly signals: readonly { readonly target: { readonly name: string; readonly key: string }; readonly name: string; readonly input: string }[];
}

export interface EntityHostOptions {
  readonly store: InstanceStore;
  /** The registered entity function for a (lower-case) entity name. */
  readonly registration: (name: string) => EntityRegistration | undefined;
  /** Delivers an answer (an EventRaised) to an orchestration. */
  readonly answer: (instanceId: string, message: HistoryEvent) => void;
  readonly context: (entityId: string) => unknown;
}

const ENTITY_PREFIX = '@';

export function isEntityId(id: string): boolean {
  return id.startsWith(ENTITY_PREFIX) && id.indexOf('@', 1) > 0;
}

export function entityIdOf(name: string, key: string): string {
  return `@${name.toLowerCase()}@${key}`;
}

class Entity {
  exists = false;
  state: string | undefined;
  lockedBy: string | undefined;
  readonly queue: EntityMessage[] = [];
  readonly seen = new Set<string>();
  running = false;
  lastModifiedTime = new Date().toISOString();
  readonly id: string;

  constructor(id: string) {
    this.id = id;
  }

  get name(): string {
    return this.id.slice(1, this.id.indexOf('@', 1));
  }

  get key(): string {
    return this.id.slice(this.id.indexOf('@', 1) + 1);
  }
}

export class EntityHost {
  private readonly entities = new Map<string, Entity>();
  private closed = false;
  private readonly options: EntityHostOptions;

  constructor(options: EntityHostOptions) {
    this.options = options;
  }

  /** Rebuilds an entity from its log, and sends again the answers of its last batch (the receiver drops repeats). */
  restore(id: string, messages: readonly HistoryEvent[], commits: readonly EntityCommit[]): void {
    const entity = new Entity(id);
    this.entities.set(id, entity);
    const consumed = new Set(commits.flatMap((c) => c.consumed));
    const last = commits.at(-1);
    if (last) {
      entity.exists = last.entity.exists;
      entity.state = last.entity.state;
      entity.lockedBy = last.entity.lockedBy;
    }
    for (const m of messages) {
      const message = JSON.parse(m.Input!) as EntityMessage;
      entity.seen.add(message.id);
      if (!consumed.has(message.id)) entity.queue.push(message);
    }
    for (const sent of last?.outbox ?? []) this.options.answer(sent.to, sent.event);
  }

  start(): void {
    for (const entity of this.entities.values()) this.kick(entity);
  }

  /** Queues a message for an entity (logged first); a message id it has seen is dropped. */
  deliver(id: string, message: EntityMessage): void {
    if (this.closed) return;
    const entity = this.entityOf(id);
    if (entity.seen.has(message.id)) return;
    if (!this.options.registration(entity.name)) {
      // No such entity function: a caller waits for an answer that explains why.
      if (message.parent && !message.signal && !message.release)
        this.options.answer(message.parent, failure(message.id, `The entity function '${entity.name}' doesn't exist or is not an entity function`));
      return;
    }
    entity.seen.add(message.id);
    this.options.store.append(id, { message: event(EventType.EventRaised, { Name: 'op', Input: JSON.stringify(message) }) });
    entity.queue.push(message);
    this.kick(entity);
  }

  /** The entity's state (JSON text) if it exists. */
  read(id: string): { state: string | undefined; lastModifiedTime: string } | undefined {
    const entity = this.entities.get(id);
    return entity?.exists ? { state: entity.state, lastModifiedTime: entity.lastModifiedTime } : undefined;
  }

  close(): void {
    this.closed = true;
  }

  /** The entity, made (and its log begun) on its first message. */
  private entityOf(id: string): Entity {
    let entity = this.entities.get(id);
    if (!entity) {
      entity = new Entity(id);
      this.entities.set(id, entity);
      this.options.store.append(id, { created: { id, name: '@entity', input: '', createdTime: new Date().toISOString() } });
    }
    return entity;
  }

  private kick(entity: Entity): void {
    if (entity.running || this.closed) return;
    entity.running = true;
    setImmediate(async () => {
      try {
        while (!this.closed && (await this.step(entity)));
      } finally {
        entity.running = false;
      }
    });
  }

  /** Runs what the entity can take now: lock traffic one message at a time, operations as one batch. False when nothing could run. */
  private async step(entity: Entity): Promise<boolean> {
    const runnable = entity.queue.filter((m) => entity.lockedBy === undefined || m.parent === entity.lockedBy);
    const first = runnable[0];
    if (!first) return false;
    if (first.lockSet || first.release) {
      const outbox: { to: string; event: HistoryEvent }[] = [];
      const forward: { to: string; message: EntityMessage }[] = [];
      if (first.release) entity.lockedBy = undefined;
      else {
        entity.lockedBy = first.parent;
        const next = (first.position ?? 0) + 1;
        if (next < first.lockSet!.length) forward.push({ to: first.lockSet![next]!, message: { ...first, position: next } });
        else outbox.push({ to: first.parent!, event: event(EventType.EventRaised, { Name: first.id, Input: JSON.stringify({ result: 'null' }) }) });
      }
      this.commit(entity, [first], outbox);
      for (const f of forward) this.deliver(f.to, f.message);
      return true;
    }
    const batch: EntityMessage[] = [];
    for (const m of runnable) {
      if (m.lockSet || m.release) break;
      batch.push(m);
    }
    const result = await this.runBatch(entity, batch);
    entity.exists = result.entityExists;
    entity.state = result.entityExists ? result.entityState : undefined;
    const outbox: { to: string; event: HistoryEvent }[] = [];
    batch.forEach((m, i) => {
      if (m.signal || !m.parent) return;
      const r = result.results[i];
      const response = r?.isError ? { result: r.result, exceptionType: 'Error' } : { result: r?.result };
      outbox.push({ to: m.parent, event: event(EventType.EventRaised, { Name: m.id, Input: JSON.stringify(response) }) });
    });
    this.commit(entity, batch, outbox);
    for (const signal of result.signals) {
      this.deliver(entityIdOf(signal.target.name, signal.target.key), {
        id: randomUUID(),
        op: signal.name,
        signal: true,
        input: signal.input,
      });
    }
    return true;
  }

  private commit(entity: Entity, consumed: readonly EntityMessage[], outbox: readonly { to: string; event: HistoryEvent }[]): void {
    const ids = new Set(consumed.map((m) => m.id));
    for (let i = entity.queue.length - 1; i >= 0; i--) if (ids.has(entity.queue[i]!.id)) entity.queue.splice(i, 1);
    entity.lastModifiedTime = new Date().toISOString();
    const record: EntityCommit = {
      consumed: [...ids],
      entity: {
        exists: entity.exists,
        ...(entity.state !== undefined ? { state: entity.state } : {}),
        ...(entity.lockedBy ? { lockedBy: entity.lockedBy } : {}),
      },
      outbox,
    };
    this.options.store.append(entity.id, { entityCommit: record });
    for (const sent of outbox) this.options.answer(sent.to, sent.event);
  }

  private async runBatch(entity: Entity, batch: readonly EntityMessage[]): Promise<BatchResult> {
    const registration = this.options.registration(entity.name)!;
    const trigger = {
      self: { name: entity.name, key: entity.key },
      exists: entity.exists,
      state: entity.state,
      batch: batch.map((m) => ({ id: m.id, name: m.op, signal: m.signal ?? false, input: m.input === '' ? undefined : m.input })),
    };
    try {
      return (await registration.callback(trigger, this.options.context(entity.id))) as BatchResult;
    } catch (error) {
      // The handler itself failed (not one operation): every operation of the batch fails, the state stays.
      const message = JSON.stringify((error as Error).message ?? String(error));
      return { entityExists: entity.exists, entityState: entity.state, results: batch.map(() => ({ isError: true, result: message })), signals: [] };
    }
  }
}

function failure(requestId: string, message: string): HistoryEvent {
  return event(EventType.EventRaised, { Name: requestId, Input: JSON.stringify({ result: JSON.stringify(message), exceptionType: 'Error' }) });
}
