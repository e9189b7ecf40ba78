/**
 * One orchestration instance as the local host keeps it: its history, the messages
 * waiting for its next episode, and the bookkeeping that turns the orchestrator's
 * actions into history events and work.
 *
 * Replay schema V3: every episode the SDK returns *all* actions since the start
 * (compound WhenAll/WhenAny actions holding their children). The host matches them,
 * in order, with what it already scheduled: a different action where history has one
 * is a non-deterministic orchestrator; actions past the end are new. Sequence numbers
 * follow the SDK's: one per new activity, sub-orchestration or timer in action order,
 * and for a retried activity one for the timer after each failure and one for each
 * new attempt, taken when that failure or timer event is processed.
 */
import { EventType, completes, event, type HistoryEvent } from './history.ts';

export type Status = 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminated';

export type Work =
  | { readonly kind: 'activity'; readonly seq: number; readonly name: string; readonly input: string; readonly attempt: number }
  | { readonly kind: 'timer'; readonly seq: number; readonly fireAtMs: number }
  | { readonly kind: 'sub'; readonly seq: number; readonly name: string; readonly instanceId: string; readonly input: string };

/** An action as the SDK's handler returns it (only the fields the host reads). */
export interface WireAction {
  readonly actionType: number;
  readonly functionName?: string;
  readonly input?: unknown;
  readonly instanceId?: string;
  /** A Date as the handler returns it; ISO text once serialized. */
  readonly fireAt?: string | Date;
  readonly externalEventName?: string;
  readonly retryOptions?: {
    readonly firstRetryIntervalInMilliseconds: number;
    readonly maxNumberOfAttempts: number;
    readonly backoffCoefficient?: number;
    readonly maxRetryIntervalInMilliseconds?: number;
  };
  readonly compoundActions?: readonly WireAction[];
}

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  WhenAny: 11,
  WhenAll: 12,
} as const;

interface ActionRecord {
  readonly type: number;
  readonly name: string;
  /** Kept in memory for retries; not in snapshots (the history's TaskScheduled has it). */
  input: string;
  readonly retry?: WireAction['retryOptions'];
  attempts: number;
}

/** What survives a restart besides the history: the host's bookkeeping, saved with every commit. */
export interface InstanceSnapshot {
  readonly nextSeq: number;
  readonly actions: readonly ActionRecord[];
  readonly owners: readonly (readonly [number, { readonly action: number; readonly role: 'attempt' | 'retryTimer' }])[];
}

/**
 * An episode's addition to the history: its OrchestratorStarted, then the next
 * `consumed` messages of the instance (in the order they were stored), then `events`.
 */
export interface StoredCommit {
  readonly started?: HistoryEvent;
  readonly consumed: number;
  readonly events: readonly HistoryEvent[];
  readonly snapshot: InstanceSnapshot;
}

export class NonDeterminismError extends Error {}

export class Instance {
  readonly history: HistoryEvent[] = [];
  readonly inbox: HistoryEvent[] = [];
  status: Status = 'Pending';
  output: unknown = null;
  readonly createdTime = new Date().toISOString();
  lastUpdatedTime = this.createdTime;
  /** Characters of payload (inputs, results) in the history and inbox: what every episode replays. */
  dataBytes = 0;
  private nextSeq = 0;
  private actions: ActionRecord[] = [];
  private owners = new Map<number, { action: number; role: 'attempt' | 'retryTimer' }>();
  /** Sequence numbers whose completion is in the history or the inbox: a second one is dropped. */
  private readonly done = new Set<number>();

  readonly id: string;
  readonly name: string;
  /** The orchestrator's input as JSON text ('' for none). */
  readonly input: string;
  readonly parent?: { readonly id: string; readonly seq: number };

  constructor(id: string, name: string, input: string, parent?: { readonly id: string; readonly seq: number }) {
    this.id = id;
    this.name = name;
    this.input = input;
    this.parent = parent;
  }

  get isTerminal(): boolean {
    return this.status === 'Completed' || this.status === 'Failed' || this.status === 'Terminated';
  }

  /** Queues a message for the next episode; false if it repeats one already taken (a duplicate delivery). */
  receive(message: HistoryEvent): boolean {
    const seq = completes(message);
    if (seq !== undefined) {
      if (this.done.has(seq) || !this.owners.has(seq)) return false;
      this.done.add(seq);
    }
    if (message.EventType === EventType.ExecutionStarted && (this.history.length > 0 || this.inbox.length > 0)) return false;
    this.inbox.push(message);
    return true;
  }

  /**
   * The messages of the next episode. A retried activity's failure or timer gets an
   * episode of its own, so the sequence number it takes comes before those of any
   * action the episode's user code yields, as in the SDK.
   */
  takeMessages(): HistoryEvent[] {
    const first = this.inbox.findIndex((m) => this.isRetryEvent(m));
    const count = first === 0 ? 1 : first < 0 ? this.inbox.length : first;
    return this.inbox.splice(0, count);
  }

  /** Sequence numbers and events for the retry messages of an episode (at most one). */
  allocateRetries(messages: readonly HistoryEvent[], nowMs: number): { events: HistoryEvent[]; work: Work[] } {
    const events: HistoryEvent[] = [];
    const work: Work[] = [];
    for (const message of messages) {
      if (!this.isRetryEvent(message)) continue;
      const owner = this.owners.get(completes(message)!)!;
      const action = this.actions[owner.action]!;
      const retry = action.retry!;
      if (owner.role === 'attempt') {
        const delayMs = Math.min(
          retry.maxRetryIntervalInMilliseconds ?? Infinity,
          retry.firstRetryIntervalInMilliseconds * (retry.backoffCoefficient ?? 1) ** (action.attempts - 1),
        );
        const seq = this.allocate(owner.action, 'retryTimer');
        const fireAtMs = nowMs + delayMs;
        events.push(event(EventType.TimerCreated, { EventId: seq, FireAt: new Date(fireAtMs).toISOString() }));
        work.push({ kind: 'timer', seq, fireAtMs });
      } else if (action.attempts < retry.maxNumberOfAttempts) {
        action.attempts++;
        const seq = this.allocate(owner.action, 'attempt');
        events.push(event(EventType.TaskScheduled, { EventId: seq, Name: action.name, Input: action.input }));
        work.push({ kind: 'activity', seq, name: action.name, input: action.input, attempt: action.attempts });
      }
    }
    return { events, work };
  }

  /** Matches the episode's cumulative actions with what was scheduled; returns the new events and work. */
  reconcile(actions: readonly WireAction[], failed: boolean): { events: HistoryEvent[]; work: Work[] } {
    const flat = flatten(actions);
    for (let i = 0; i < Math.min(flat.length, this.actions.length); i++) {
      const known = this.actions[i]!;
      const now = flat[i]!;
      if (known.type !== now.actionType || known.name !== nameOf(now)) {
        throw new NonDeterminismError(
          `Non-Deterministic workflow detected: action ${i} of the orchestrator is now ${describe(now.actionType, nameOf(now))} but the history has ${describe(known.type, known.name)}`,
        );
      }
    }
    if (!failed && flat.length < this.actions.length) {
      throw new NonDeterminismError(
        `Non-Deterministic workflow detected: the history has ${this.actions.length} actions but the orchestrator now takes ${flat.length}`,
      );
    }
    const events: HistoryEvent[] = [];
    const work: Work[] = [];
    for (const action of flat.slice(this.actions.length)) {
      const index = this.actions.length;
      // The SDK sends string inputs already serialized (Utils.processInput), other values as JSON values.
      const input = action.input === undefined ? '' : typeof action.input === 'string' ? action.input : JSON.stringify(action.input);
      this.actions.push({ type: action.actionType, name: nameOf(action), input, retry: action.retryOptions, attempts: 1 });
      switch (action.actionType) {
        case ActionType.CallActivity:
        case ActionType.CallActivityWithRetry: {
          const seq = this.allocate(index, 'attempt');
          events.push(event(EventType.TaskScheduled, { EventId: seq, Name: action.functionName!, Input: input }));
          work.push({ kind: 'activity', seq, name: action.functionName!, input, attempt: 1 });
          break;
        }
        case ActionType.CallSubOrchestrator: {
          const seq = this.allocate(index, 'attempt');
          const instanceId = action.instanceId || `${this.id}:${seq}`;
          events.push(event(EventType.SubOrchestrationInstanceCreated, { EventId: seq, Name: action.functionName!, InstanceId: instanceId, Input: input }));
          work.push({ kind: 'sub', seq, name: action.functionName!, instanceId, input });
          break;
        }
        case ActionType.CreateTimer: {
          const seq = this.allocate(index, 'attempt');
          const fireAtMs = new Date(action.fireAt!).getTime();
          events.push(event(EventType.TimerCreated, { EventId: seq, FireAt: new Date(fireAtMs).toISOString() }));
          work.push({ kind: 'timer', seq, fireAtMs });
          break;
        }
        case ActionType.WaitForExternalEvent:
          break; // matched by name when the event is raised; takes no sequence number
        default:
          throw new Error(`action type ${action.actionType} is not supported by Baton's local Durable host`);
      }
    }
    return { events, work };
  }

  /** Work scheduled in the history and not completed: what a restarted host must start again. */
  unfinishedWork(): Work[] {
    const completed = new Set<number>();
    for (const e of [...this.history, ...this.inbox]) {
      const seq = completes(e);
      if (seq !== undefined) completed.add(seq);
    }
    const work: Work[] = [];
    for (const e of this.history) {
      if (e.EventId < 0 || completed.has(e.EventId)) continue;
      if (e.EventType === EventType.TaskScheduled)
        work.push({ kind: 'activity', seq: e.EventId, name: e.Name!, input: e.Input ?? '', attempt: this.attemptOf(e.EventId) });
      if (e.EventType === EventType.TimerCreated) work.push({ kind: 'timer', seq: e.EventId, fireAtMs: Date.parse(e.FireAt!) });
      if (e.EventType === EventType.SubOrchestrationInstanceCreated)
        work.push({ kind: 'sub', seq: e.EventId, name: e.Name!, instanceId: e.InstanceId!, input: e.Input ?? '' });
    }
    return work;
  }

  snapshot(): InstanceSnapshot {
    return { nextSeq: this.nextSeq, actions: this.actions.map((a) => ({ ...a, input: '' })), owners: [...this.owners] };
  }

  /** Rebuilds the instance from its stored commits (history plus snapshot) and messages. */
  restore(commits: readonly StoredCommit[], messages: readonly HistoryEvent[]): void {
    let next = 0;
    for (const commit of commits) {
      const consumed = messages.slice(next, (next += commit.consumed));
      this.history.push(...[...(commit.started ? [commit.started] : []), ...consumed, ...commit.events].map((e) => ({ ...e, IsPlayed: true })));
    }
    messages = messages.slice(next);
    const last = commits.at(-1)?.snapshot;
    if (last) {
      this.nextSeq = last.nextSeq;
      this.actions = last.actions.map((a) => ({ ...a }));
      this.owners = new Map(last.owners);
    }
    for (const e of this.history) {
      this.dataBytes += (e.Result?.length ?? 0) + (e.Input?.length ?? 0);
      const seq = completes(e);
      if (seq !== undefined) this.done.add(seq);
      const owner =
        e.EventType === EventType.TaskScheduled || e.EventType === EventType.SubOrchestrationInstanceCreated ? this.owners.get(e.EventId) : undefined;
      if (owner && this.actions[owner.action]) this.actions[owner.action]!.input = e.Input ?? '';
    }
    for (const message of messages) if (this.receive(message)) this.dataBytes += (message.Result?.length ?? 0) + (message.Input?.length ?? 0);
    const terminal = this.history.findLast(
      (e) => e.EventType === EventType.ExecutionCompleted || e.EventType === EventType.ExecutionFailed || e.EventType === EventType.ExecutionTerminated,
    );
    if (terminal) {
      this.status =
        terminal.EventType === EventType.ExecutionCompleted ? 'Completed' : terminal.EventType === EventType.ExecutionFailed ? 'Failed' : 'Terminated';
      this.output = terminal.EventType === EventType.ExecutionCompleted ? JSON.parse(terminal.Result ?? 'null') : (terminal.Reason ?? null);
    } else {
      this.status = this.history.length > 0 ? 'Running' : 'Pending';
    }
  }

  private attemptOf(seq: number): number {
    const owner = this.owners.get(seq);
    return owner ? [...this.owners].filter(([s, o]) => s <= seq && o.action === owner.action && o.role === 'attempt').length : 1;
  }

  private allocate(action: number, role: 'attempt' | 'retryTimer'): number {
    const seq = this.nextSeq++;
    this.owners.set(seq, { action, role });
    return seq;
  }

  private isRetryEvent(message: HistoryEvent): boolean {
    const seq = completes(message);
    const owner = seq === undefined ? undefined : this.owners.get(seq);
    if (!owner || !this.actions[owner.action]?.retry) return false;
    return (
      (message.EventType === EventType.TaskFailed && owner.role === 'attempt') || (message.EventType === EventType.TimerFired && owner.role === 'retryTimer')
    );
  }
}

function flatten(actions: readonly WireAction[]): WireAction[] {
  return actions.flatMap((a) => (a.actionType === ActionType.WhenAll || a.actionType === ActionType.WhenAny ? flatten(a.compoundActions ?? []) : [a]));
}

function nameOf(action: WireAction): string {
  return action.functionName ?? action.externalEventName ?? '';
}

function describe(type: number, name: string): string {
  const kind = Object.entries(ActionType).find(([, t]) => t === type)?.[0] ?? `action type ${type}`;
  return name ? `${kind} '${name}'` : kind;
}
