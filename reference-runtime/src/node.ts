/**
 * One runtime node: data buckets and their triggers, an object store in shared memory,
 * and the local scheduler that fires actions: data actions (data-actions.ts) put
 * objects into buckets here; calls run on this node's executor threads or, in a
 * cluster, where the placement says (distribution.ts). Sessions: session.ts.
 *
 * Memory: every object holds its bytes in the store (`hold`) while it is being
 * offered; a trigger that keeps it `retain`s it; `release` when consumed or done.
 */
import { availableParallelism } from 'node:os';
import { appProblems, bucketOf, codeOf, type Action, type AppSpec, type Target, type TriggerSpec } from './app.ts';
import { planDataAction } from './data-actions.ts';
import type { DataObject } from './data-object.ts';
import { dispatch, type Distribution, type RemoteCall } from './distribution.ts';
import { ExecutorPool, type CallReply } from './executor-pool.ts';
import type { SessionResult, Session as SessionOf } from './session.ts';
import type { ReplyMessage } from './protocol.ts';
import { Arena, COMMITTED } from './store/arena.ts';
import { ObjectStore } from './store/object-store.ts';
import { decodeValue, encodeValue, encodedSizeBytes } from './store/transfer.ts';
import { createTrigger } from './triggers/create.ts';
import { isCounted, type CountedTrigger, type Emission, type Firing, type Trigger } from './triggers/trigger.ts';
import type { RuntimeValue } from './value.ts';

export interface NodeOptions {
  readonly name?: string;
  /** Executor threads; default: the machine's available parallelism. */
  readonly executors?: number;
  /** The object store's memory bound; default 1 GiB. */
  readonly storeBytes?: number;
  /** How long a producer may wait for memory in a full store before its call fails; default 10 s. */
  readonly allocWaitMs?: number;
  /** Tries of a call whose executor thread dies (at-least-once); default 3. */
  readonly maxAttempts?: number;
  /**
   * How long an executor polls for its next call before it sleeps, µs (PoolOptions.executorSpinUs);
   * default DEFAULT_EXECUTOR_SPIN_US, or BATON_REFERENCE_SPIN_US from the environment.
   */
  readonly executorSpinUs?: number;
  /** How long the node's thread polls for the reply to a lone call, µs (PoolOptions.nodePollUs); default DEFAULT_NODE_POLL_US, or BATON_REFERENCE_POLL_US. */
  readonly nodePollUs?: number;
  /** Sees every object put into a bucket (values encoded: see `decode`). */
  readonly onObject?: (app: string, bucket: string, object: DataObject) => void;
}

export const DEFAULT_STORE_BYTES = 1024 ** 3;
export const DEFAULT_EXECUTOR_SPIN_US = 50;
export const DEFAULT_NODE_POLL_US = 100;

/** A knob given in the options, else from the environment (cluster nodes inherit it), else its default. */
function knob(given: number | undefined, variable: string, fallback: number): number {
  if (given !== undefined) return given;
  const raw = process.env[variable];
  const fromEnv = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : fallback;
}

export type { Distribution, RemoteCall } from './distribution.ts';
export type { InvocationRecord, SessionResult } from './session.ts';

/** A function threw: the session fails with its name and message (what a try matches). */
export class FunctionFailed extends Error {
  readonly errorName: string;
  readonly functionMessage: string;
  constructor(fn: string, errorName: string, message: string) {
    super(`function '${fn}' failed: ${message}`);
    this.errorName = errorName;
    this.functionMessage = message;
  }
}

interface Entry {
  readonly spec: TriggerSpec;
  readonly trigger: Trigger;
}

interface InstalledApp {
  readonly spec: AppSpec;
  readonly triggers: ReadonlyMap<string, readonly Entry[]>;
  readonly counted: ReadonlyMap<string, Entry & { readonly trigger: CountedTrigger }>;
}

type Session = SessionOf<InstalledApp>;

export class RuntimeNode {
  readonly name: string;
  readonly store: ObjectStore;
  private readonly pool: ExecutorPool;
  private readonly apps = new Map<string, InstalledApp>();
  private readonly sessions = new Set<Session>();
  private readonly onObject: NodeOptions['onObject'];
  private distribution: Distribution | undefined;
  private nextSession = 1;

  private constructor(options: NodeOptions) {
    this.name = options.name ?? 'node0';
    this.store = new ObjectStore(Arena.create(options.storeBytes ?? DEFAULT_STORE_BYTES));
    this.onObject = options.onObject;
    this.pool = new ExecutorPool({
      nodeName: this.name,
      size: options.executors ?? availableParallelism(),
      arena: this.store.arena,
      allocWaitMs: options.allocWaitMs ?? 10_000,
      maxAttempts: options.maxAttempts ?? 3,
      executorSpinUs: knob(options.executorSpinUs, 'BATON_REFERENCE_SPIN_US', DEFAULT_EXECUTOR_SPIN_US),
      nodePollUs: knob(options.nodePollUs, 'BATON_REFERENCE_POLL_US', DEFAULT_NODE_POLL_US),
      adopt: (reply: ReplyMessage) => this.store.adopt(reply.type === 'done' ? reply.output : undefined, reply.allocated),
    });
  }

  /** Starts a node and waits until its executors are up. */
  static async start(options: NodeOptions = {}): Promise<RuntimeNode> {
    const node = new RuntimeNode(options);
    await node.pool.ready();
    return node;
  }

  get executorCount(): number {
    return this.pool.size;
  }

  /** Calls waiting for an executor plus calls running: how loaded this node is. */
  get load(): number {
    return this.pool.queued + this.pool.busy;
  }

  register(app: AppSpec): void {
    const problems = appProblems(app);
    if (problems.length > 0) throw new Error(`app '${app.name}': ${problems.join('; ')}`);
    const triggers = new Map<string, Entry[]>();
    const counted = new Map<string, Entry & { trigger: CountedTrigger }>();
    for (const spec of app.triggers) {
      const trigger = createTrigger(spec, (emissions) => this.onTimer(app.name, entry, emissions));
      const entry: Entry = { spec, trigger };
      triggers.set(spec.bucket, [...(triggers.get(spec.bucket) ?? []), entry]);
      if (isCounted(trigger) && !counted.has(spec.bucket)) counted.set(spec.bucket, { spec, trigger });
    }
    this.apps.set(app.name, { spec: app, triggers, counted });
  }

  unregister(name: string): void {
    this.apps.delete(name);
  }

  appNames(): string[] {
    return [...this.apps.keys()];
  }

  /** Makes this node part of a cluster. */
  distribute(distribution: Distribution): void {
    this.distribution = distribution;
  }

  /** Runs a call that another node placed here, on this node's executors. */
  runPlaced(call: RemoteCall): Promise<CallReply> {
    const app = this.apps.get(call.app);
    if (!app) return Promise.reject(new Error(`no app named '${call.app}' is registered on ${this.name}`));
    const { session: _, app: __, ...request } = call;
    return this.pool.call({ ...request, ...codeOf(app.spec) });
  }

  /** Fails every session that needed `node` (it died), within the time it takes to notice. */
  failSessionsUsing(node: string, reason: string): void {
    for (const session of [...this.sessions]) if (session.nodes.has(node)) this.finish(session, new Error(reason));
  }

  /** Runs one session of an app to completion. Input bytes are copied into the store once. */
  invoke(appName: string, input: RuntimeValue): Promise<SessionResult> {
    const app = this.apps.get(appName);
    if (!app) return Promise.reject(new Error(`no app named '${appName}' is registered on ${this.name}`));
    return new Promise((resolve, reject) => {
      const session = this.newSession(app, resolve, reject);
      try {
        const arena = this.store.arena;
        const value = encodeValue(input, arena, (sizeBytes) => arena.alloc(sizeBytes, COMMITTED, 0)).value;
        this.put(session, app.spec.entry, [], value, []);
      } catch (error) {
        this.finish(session, error as Error);
      }
    });
  }

  private newSession(app: InstalledApp, resolve: (result: SessionResult) => void, reject: (error: Error) => void): Session {
    const session: Session = {
      id: `${this.name}-s${this.nextSession++}`,
      app,
      submitNs: process.hrtime.bigint(),
      invocations: [],
      depth: new Map(),
      nodes: new Set(),
      resolve,
      reject,
      nextInvocation: 1,
      done: false,
    };
    this.sessions.add(session);
    return session;
  }

  /**
   * Runs app `name` on a value already in the store, as a part of `parent`: its entry object
   * carries `producers`, its calls join the parent's trace, and the nodes it used are the
   * parent's too. Resolves with its output (copied out) and the invocations that made it.
   */
  private subSession(parent: Session, name: string, value: RuntimeValue, producers: readonly string[]): Promise<SessionResult> {
    const app = this.apps.get(name);
    if (!app) return Promise.reject(new Error(`no app named '${name}' is registered on ${this.name}`));
    return new Promise((resolve, reject) => {
      const settle = (child: Session): void => {
        parent.invocations.push(...child.invocations);
        for (const node of child.nodes) parent.nodes.add(node);
      };
      const child: Session = this.newSession(
        app,
        (result) => {
          settle(child);
          resolve(result);
        },
        (error) => {
          settle(child);
          reject(error);
        },
      );
      try {
        this.put(child, app.spec.entry, [], value, producers);
      } catch (error) {
        this.finish(child, error as Error);
      }
    });
  }

  /** Views of the store's memory for an encoded value (valid while an object holds them). */
  decode(value: RuntimeValue): RuntimeValue {
    return decodeValue(value, this.store.arena);
  }

  /** Replaces every executor thread, so that the next invocations are cold starts. */
  restartExecutors(): Promise<void> {
    return this.pool.restart();
  }

  async close(): Promise<void> {
    for (const session of this.sessions) this.finish(session, new Error(`node ${this.name} closed`));
    await this.pool.close();
  }

  private put(session: Session, target: Target, scope: readonly string[], value: RuntimeValue, producers: readonly string[], name?: string): void {
    if (session.done) return;
    const bucket = bucketOf(target);
    const pop = typeof target !== 'string' && target.pop === true;
    const object: DataObject = {
      session: session.id,
      scope: pop ? scope.slice(0, -1) : scope,
      name: pop ? (scope.at(-1) ?? '') : (name ?? (typeof target === 'string' ? '' : (target.name ?? ''))),
      value,
      producers,
      blocks: this.store.hold(value),
    };
    try {
      this.onObject?.(session.app.spec.name, bucket, object);
      if (bucket === session.app.spec.result) {
        this.finish(session, undefined, object.value, object.producers);
        return;
      }
      for (const entry of session.app.triggers.get(bucket) ?? []) {
        if (session.done) return;
        const offer = entry.trigger.offer(object);
        if (offer.kept) this.store.retain(object.blocks);
        this.process(session, entry, offer.emissions);
      }
    } catch (error) {
      this.finish(session, error as Error);
    } finally {
      this.store.release(object.blocks);
    }
  }

  private process(session: Session, entry: Entry, emissions: readonly Emission[]): void {
    for (const emission of emissions) {
      if (emission.type === 'fire') this.fire(session, entry.spec.action, emission.firing);
      else if (emission.type === 'consumed') for (const o of emission.objects) this.store.release(o.blocks);
      else if ('join' in entry.spec && entry.spec.join !== undefined) this.announce(session, entry.spec.join, emission.scope, emission.count);
    }
  }

  private announce(session: Session, bucket: string, scope: readonly string[], count: number): void {
    const counted = session.app.counted.get(bucket)!;
    this.process(session, counted, counted.trigger.expect(session.id, scope, count));
  }

  private onTimer(appName: string, entry: Entry, emissions: Emission[]): void {
    for (const emission of emissions) {
      const sessionId = emission.type === 'fire' ? emission.firing.session : emission.type === 'total' ? emission.session : emission.objects[0]?.session;
      const session = [...this.sessions].find((s) => s.id === sessionId && s.app.spec.name === appName);
      if (session) {
        try {
          this.process(session, entry, [emission]);
        } catch (error) {
          this.finish(session, error as Error);
        }
      }
    }
  }

  private fire(session: Session, action: Action, firing: Firing): void {
    const { inputs, scope } = firing;
    const valueBlocks = firing.value === undefined ? [] : this.store.hold(firing.value);
    const done = (): void => {
      for (const input of inputs) this.store.release(input.blocks);
      this.store.release(valueBlocks);
    };
    if (session.done) return done();
    const producers = firing.parents ?? (inputs.length === 1 ? inputs[0]!.producers : inputs.flatMap((o) => o.producers));
    const value = firing.value ?? (inputs.length === 1 && action.kind !== 'gather' ? inputs[0]!.value : inputs.map((o) => o.value));
    const putAll = (to: readonly Target[], v: RuntimeValue, from: readonly string[], name?: string): void => {
      for (const target of to) this.put(session, target, scope, v, from, name);
    };
    if (action.kind === 'call') {
      return this.call(session, action.fn, value, producers, (output, id) => putAll(action.to, output, [id]), done);
    }
    if (action.kind === 'iterate') {
      return this.iterate(session, action.fn, value, producers, (state, from) => putAll(action.to, state, from), done);
    }
    if (action.kind === 'try') {
      return this.runTry(session, action, value, producers, (output, from) => putAll(action.to, output, from), done);
    }
    try {
      const plan = planDataAction(action, scope, value, inputs, producers);
      for (const put of plan.puts) this.put(session, put.target, put.scope, put.value, put.producers, put.name);
      if (plan.announce) this.announce(session, plan.announce.bucket, plan.announce.scope, plan.announce.count);
    } finally {
      done();
    }
  }

  /** Runs `fn` on an executor; `onOutput` must hold what it keeps of the output. */
  private call(
    session: Session,
    fn: string,
    input: RuntimeValue,
    parents: readonly string[],
    onOutput: (output: RuntimeValue, invocationId: string) => void,
    done: () => void,
  ): void {
    const invocationId = `${session.id}-i${session.nextInvocation++}`;
    const inBytes = encodedSizeBytes(input);
    const priority = 1 + parents.reduce((deepest, id) => Math.max(deepest, session.depth.get(id) ?? 0), 0);
    session.depth.set(invocationId, priority);
    dispatch(
      { session: session.id, app: session.app.spec.name, fn, invocationId, input, priority },
      session.app.spec,
      { pool: this.pool, store: this.store, distribution: this.distribution },
      session.nodes,
    ).then(
      (reply) => {
        done();
        if (reply.type === 'failed') return this.finish(session, new FunctionFailed(fn, reply.errorName ?? 'Error', reply.message));
        const blocks = this.store.hold(reply.output);
        try {
          if (session.done) return;
          session.invocations.push({
            fn,
            id: invocationId,
            attempt: reply.attempt,
            startNs: reply.startNs,
            endNs: reply.endNs,
            inBytes,
            outBytes: encodedSizeBytes(reply.output),
            copiedBytes: reply.copiedBytes,
            worker: reply.worker,
            cold: reply.cold,
            parents,
            sentNs: reply.sentNs,
            receivedNs: reply.receivedNs,
            repliedNs: reply.repliedNs,
            replyReceivedNs: reply.replyReceivedNs,
            ...(reply.storage ? { storage: reply.storage } : {}),
          });
          onOutput(reply.output, invocationId);
        } catch (error) {
          this.finish(session, error as Error);
        } finally {
          this.store.release(blocks);
        }
      },
      (error: Error) => {
        done();
        this.finish(session, error);
      },
    );
  }

  /** A fold as an Immediate chain: each step is fired by the previous step's output. */
  private iterate(
    session: Session,
    fn: string,
    input: RuntimeValue,
    parents: readonly string[],
    onState: (state: RuntimeValue, from: readonly string[]) => void,
    done: () => void,
  ): void {
    const record = input as { items?: unknown; state?: RuntimeValue };
    if (typeof input !== 'object' || input === null || !Array.isArray(record.items)) {
      done();
      return this.finish(session, new Error('iterate: input must be { items: [...], state }'));
    }
    const items = record.items as RuntimeValue[];
    const step = (index: number, state: RuntimeValue, from: readonly string[], stateBlocks: readonly number[]): void => {
      if (index === items.length || session.done) {
        if (!session.done) onState(state, from);
        this.store.release(stateBlocks);
        return done();
      }
      this.call(
        session,
        fn,
        { state, item: items[index]!, index },
        from,
        (output, id) => step(index + 1, output, [id], this.store.hold(output)),
        () => this.store.release(stateBlocks),
      );
    };
    step(0, record.state ?? null, parents, []);
  }

  /**
   * A try action: the body as a sub-session, again on a retried error, then a catch. The
   * input stays held in the store until the try has an outcome.
   */
  private runTry(
    session: Session,
    action: Extract<Action, { kind: 'try' }>,
    input: RuntimeValue,
    producers: readonly string[],
    onOutput: (output: RuntimeValue, from: readonly string[]) => void,
    done: () => void,
  ): void {
    const held = this.store.hold(input);
    const arena = this.store.arena;
    const intoStore = (value: RuntimeValue): RuntimeValue => encodeValue(value, arena, (sizeBytes) => arena.alloc(sizeBytes, COMMITTED, 0)).value;
    const deliver = (result: SessionResult): void => {
      const value = intoStore(result.output);
      const blocks = this.store.hold(value);
      try {
        if (!session.done) onOutput(value, result.outputFrom);
      } finally {
        this.store.release(blocks);
      }
    };
    const end = (): void => {
      this.store.release(held);
      done();
    };
    const matches = (errors: readonly string[], name: string) => errors.includes('*') || errors.includes(name);
    const attempt = (n: number): void => {
      this.subSession(session, action.body, input, producers).then(
        (result) => {
          deliver(result);
          end();
        },
        (error: Error) => {
          if (session.done) return end();
          const name = error instanceof FunctionFailed ? error.errorName : error.name || 'Error';
          const retry = action.retry;
          if (retry && matches(retry.errors, name) && n < retry.maxAttempts) {
            setTimeout(() => (session.done ? end() : attempt(n + 1)), retry.intervalMs * retry.backoffRate ** (n - 1));
            return;
          }
          const handler = action.catches.find((c) => matches(c.errors, name));
          if (!handler) {
            end();
            return this.finish(session, error);
          }
          const cause = error instanceof FunctionFailed ? error.functionMessage : error.message;
          const caught = intoStore({ error: name, cause, input: decodeValue(input, arena, true) } as RuntimeValue);
          this.subSession(session, handler.app, caught, producers).then(
            (result) => {
              deliver(result);
              end();
            },
            (failure: Error) => {
              end();
              this.finish(session, failure);
            },
          );
        },
      );
    };
    attempt(1);
  }

  private finish(session: Session, error: Error | undefined, output?: RuntimeValue, outputFrom: readonly string[] = []): void {
    if (session.done) return;
    session.done = true;
    this.sessions.delete(session);
    for (const entries of session.app.triggers.values()) {
      for (const { trigger } of entries) for (const object of trigger.dropSession(session.id)) this.store.release(object.blocks);
    }
    const distribution = this.distribution;
    const ended = (): void => distribution?.sessionEnded(session.id, session.nodes);
    if (error) {
      ended();
      return session.reject(error);
    }
    const resolve = (value: RuntimeValue): void => {
      const copied = decodeValue(value, this.store.arena, true);
      session.resolve({ output: copied, invocations: session.invocations, outputFrom, submitNs: session.submitNs, doneNs: process.hrtime.bigint() });
    };
    if (!distribution?.hasRemote(output ?? null)) {
      ended();
      return resolve(output ?? null);
    }
    distribution.localize(output ?? null).then(
      (local) => {
        ended();
        resolve(local.value);
        this.store.retain(local.blocks);
        this.store.release(local.blocks);
      },
      (failure: Error) => {
        ended();
        session.reject(failure);
      },
    );
  }
}
