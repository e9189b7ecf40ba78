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
import { randomUUID } from 'node:crypto';
import { EventType, completes, event, type HistoryEvent } from './history.ts';
import type { ActionRecord, CreatedRecord, EntityMessage, HttpRequestAction, InstanceSnapshot, ParentRef, RetryOptions, StoredCommit } from './records.ts';

export type { EntityMessage, HttpRequestAction, ParentRef, RetryOptions, StoredCommit } from './records.ts';

export type Status = 'Pending' | 'Running' | 'Suspended' | 'Completed' | 'Failed' | 'Terminated';

/**
 * The Azure Storage provider's timer limits, as the extension sends them to the SDK: a
 * timer further away than MAX_SHORT_TIMER_MS waits in sub-timers of LONG_TIMER_INTERVAL_MS.
 */
export const MAX_SHORT_TIMER_MS = 6 * 86_400_000;
export const LONG_TIMER_INTERVAL_MS = 3 * 86_400_000;
/** How long a durable HTTP call waits between polls when a 202 gives no Retry-After. */
export const DEFAULT_HTTP_POLL_MS = 30_000;

/** The name under which the extension schedules a durable HTTP call (its built-in activity). */
export const HTTP_ACTIVITY = 'BuiltIn::HttpActivity';

export type Work =
  | { readonly kind: 'activity'; readonly seq: number; readonly name: string; readonly input: string; readonly attempt: number }
  | { readonly kind: 'timer'; readonly seq: number; readonly fireAtMs: number }
  | { readonly kind: 'sub'; readonly seq: number; readonly name: string; readonly instanceId: string; readonly input: string; readonly version?: string }
  | { readonly kind: 'entity'; readonly target: string; readonly message: EntityMessage }
  | { readonly kind: 'http'; readonly seq: number; readonly request: HttpRequestAction }
  | { readonly kind: 'continueAsNew'; readonly input: string };

/** An action as the SDK's handler returns it (only the fields the host reads). */
export interface WireAction {
  readonly actionType: number;
  readonly functionName?: string;
  readonly input?: unknown;
  readonly instanceId?: string;
  /** A Date as the handler returns it; ISO text once serialized. */
  readonly fireAt?: string | Date;
  readonly externalEventName?: string;
  readonly version?: string;
  readonly operation?: string;
  readonly lockRequestId?: string;
  readonly lockSet?: readonly { readonly name: string; readonly key: string }[];
  readonly httpRequest?: HttpRequestAction;
  readonly retryOptions?: RetryOptions;
  readonly compoundActions?: readonly WireAction[];
}

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

export class NonDeterminismError extends Error {}
export class RewindError extends Error {}

export interface InstanceOptions {
  readonly parent?: ParentRef;
  readonly executionId?: string;
  readonly version?: string;
  readonly createdTime?: string;
}

export class Instance {
  readonly history: HistoryEvent[] = [];
  readonly inbox: HistoryEvent[] = [];
  status: Status = 'Pending';
  output: unknown = null;
  /** What the orchestrator last gave setCustomStatus (null if never). */
  customStatus: unknown = null;
  readonly createdTime: string;
  lastUpdatedTime: string;
  /** One run of the instance: a new one per start and per continueAsNew. */
  readonly executionId: string;
  readonly version?: string;
  /** Entities held in a critical section (scheduler ids), in lock order. */
  locks: readonly string[] = [];
  /** Characters of payload (inputs, results) in the history and inbox: what every episode replays. */
  dataBytes = 0;
  private nextSeq = 0;
  private actions: ActionRecord[] = [];
  private owners = new Map<number, { action: number; role: 'attempt' | 'retryTimer' }>();
  /** Sequence numbers whose completion is in the history or the inbox: a second one is dropped. */
  private readonly done = new Set<number>();
  /** Entity calls and lock requests sent (their request ids), and those answered: a second answer is dropped. */
  private readonly requests = new Set<string>();
  private readonly answered = new Set<string>();

  readonly id: string;
  readonly name: string;
  /** The orchestrator's input as JSON text ('' for none). */
  readonly input: string;
  readonly parent?: ParentRef;

  constructor(id: string, name: string, input: string, options: InstanceOptions = {}) {
    this.id = id;
    this.name = name;
    this.input = input;
    this.parent = options.parent;
    this.executionId = options.executionId ?? randomUUID().replaceAll('-', '');
    this.version = options.version;
    this.createdTime = options.createdTime ?? new Date().toISOString();
    this.lastUpdatedTime = this.createdTime;
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
    if (message.EventType === EventType.EventRaised && this.requests.has(message.Name!)) {
      if (this.answered.has(message.Name!)) return false;
      this.answered.add(message.Name!);
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
    const first = this.inbox.findIndex((m) => this.isFollowUpEvent(m));
    const count = first === 0 ? 1 : first < 0 ? this.inbox.length : first;
    return this.inbox.splice(0, count);
  }

  /**
   * Sequence numbers and events of the work the host adds on its own after a message (an
   * episode has at most one such message, first), the SDK numbering the same tasks as it
   * processes that message:
   * - retries, as the extension's retry interceptor makes them: after a failed attempt a
   *   timer (unless the retry timeout has passed: then nothing, and on Azure the JS
   *   orchestrator waits for ever, azure-functions-durable-js#629), after the timer the
   *   next attempt if any is left;
   * - long timers: after each sub-timer the next, up to the timer's end;
   * - durable HTTP's 202 polling: a timer, then a GET of the Location.
   */
  allocateFollowUps(messages: readonly HistoryEvent[], nowMs: number): { events: HistoryEvent[]; work: Work[] } {
    const events: HistoryEvent[] = [];
    const work: Work[] = [];
    const timer = (action: number, fireAtMs: number) => {
      const seq = this.allocate(action, 'retryTimer');
      events.push(event(EventType.TimerCreated, { EventId: seq, FireAt: new Date(fireAtMs).toISOString() }));
      work.push({ kind: 'timer', seq, fireAtMs });
      return seq;
    };
    for (const message of messages) {
      if (!this.isFollowUpEvent(message)) continue;
      const owner = this.owners.get(completes(message)!)!;
      const action = this.actions[owner.action]!;
      if (action.type === ActionType.CreateTimer) {
        // A long timer's sub-timer fired: the next one, as the SDK's LongTimerTask counts it.
        if (action.finalFireAtMs! > nowMs) timer(owner.action, nextSubTimerMs(nowMs, action.finalFireAtMs!));
        continue;
      }
      if (action.type === ActionType.CallHttp) {
        // 202 Accepted with a Location: a timer, then the same call polling the Location (the SDK numbers both now).
        if (owner.role === 'attempt') {
          const response = JSON.parse(message.Result!) as { headers?: Record<string, string> };
          const retryAfterS = Number(header(response.headers, 'retry-after'));
          timer(
            owner.action,
            nowMs + (header(response.headers, 'retry-after') !== undefined && Number.isFinite(retryAfterS) ? retryAfterS * 1000 : DEFAULT_HTTP_POLL_MS),
          );
          this.allocate(owner.action, 'attempt');
          const request = JSON.parse(action.input) as HttpRequestAction;
          action.input = JSON.stringify({ ...request, method: 'GET', uri: header(response.headers, 'location'), content: undefined });
        } else {
          const seq = this.nextAttemptOf(owner.action, completes(message)!);
          events.push(event(EventType.TaskScheduled, { EventId: seq, Name: HTTP_ACTIVITY, Input: action.input }));
          work.push({ kind: 'http', seq, request: JSON.parse(action.input) as HttpRequestAction });
        }
        continue;
      }
      const retry = action.retry!;
      if (owner.role === 'attempt') {
        const timedOut = retry.retryTimeoutInMilliseconds !== undefined && nowMs - (action.firstAttemptMs ?? nowMs) >= retry.retryTimeoutInMilliseconds;
        if (timedOut) continue;
        const delayMs = Math.min(
          retry.maxRetryIntervalInMilliseconds ?? Infinity,
          retry.firstRetryIntervalInMilliseconds * (retry.backoffCoefficient ?? 1) ** (action.attempts - 1),
        );
        timer(owner.action, nowMs + delayMs);
      } else if (action.attempts < retry.maxNumberOfAttempts) {
        action.attempts++;
        const seq = this.allocate(owner.action, 'attempt');
        const scheduled = this.schedule(action, seq);
        events.push(scheduled.event);
        work.push(scheduled.work);
      }
    }
    return { events, work };
  }

  /** The attempt number allocated right after `timerSeq` for the same action (an HTTP poll). */
  private nextAttemptOf(action: number, timerSeq: number): number {
    return [...this.owners].find(([seq, o]) => seq > timerSeq && o.action === action && o.role === 'attempt')![0];
  }

  /** The history event and the work of one attempt of an activity or sub-orchestration. */
  private schedule(action: ActionRecord, seq: number): { event: HistoryEvent; work: Work } {
    if (action.type === ActionType.CallSubOrchestrator || action.type === ActionType.CallSubOrchestratorWithRetry) {
      // Without an id of the orchestrator's, a child is named after its parent and the task's number, as the extension names it.
      const instanceId = action.instanceId || `${this.id}:${seq}`;
      return {
        event: event(EventType.SubOrchestrationInstanceCreated, {
          EventId: seq,
          Name: action.name,
          InstanceId: instanceId,
          Input: action.input,
          ...(action.version ? { Version: action.version } : {}),
        }),
        work: { kind: 'sub', seq, name: action.name, instanceId, input: action.input, ...(action.version ? { version: action.version } : {}) },
      };
    }
    return {
      event: event(EventType.TaskScheduled, { EventId: seq, Name: action.name, Input: action.input }),
      work: { kind: 'activity', seq, name: action.name, input: action.input, attempt: action.attempts },
    };
  }

  /** Matches the episode's cumulative actions with what was scheduled; returns the new events and work. */
  reconcile(actions: readonly WireAction[], failed: boolean, nowMs = Date.now()): { events: HistoryEvent[]; work: Work[] } {
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
      const input = inputText(action);
      const record: ActionRecord = {
        type: action.actionType,
        name: nameOf(action),
        input,
        retry: action.retryOptions,
        attempts: 1,
        ...(action.retryOptions ? { firstAttemptMs: nowMs } : {}),
        ...(action.instanceId && isSubOrchestration(action.actionType) ? { instanceId: action.instanceId } : {}),
        ...(action.version ? { version: action.version } : {}),
      };
      this.actions.push(record);
      switch (action.actionType) {
        case ActionType.CallActivity:
        case ActionType.CallActivityWithRetry:
        case ActionType.CallSubOrchestrator:
        case ActionType.CallSubOrchestratorWithRetry: {
          const scheduled = this.schedule(record, this.allocate(index, 'attempt'));
          events.push(scheduled.event);
          work.push(scheduled.work);
          break;
        }
        case ActionType.CreateTimer: {
          const seq = this.allocate(index, 'attempt');
          const finalMs = new Date(action.fireAt!).getTime();
          // Past the provider's longest timer, the wait is split (the SDK's LongTimerTask counts the sub-timers).
          const fireAtMs = finalMs - nowMs > MAX_SHORT_TIMER_MS ? nextSubTimerMs(nowMs, finalMs) : finalMs;
          if (fireAtMs !== finalMs) this.actions[index] = { ...record, finalFireAtMs: finalMs };
          events.push(event(EventType.TimerCreated, { EventId: seq, FireAt: new Date(fireAtMs).toISOString() }));
          work.push({ kind: 'timer', seq, fireAtMs });
          break;
        }
        case ActionType.WaitForExternalEvent:
          break; // matched by name when the event is raised; takes no sequence number
        case ActionType.CallHttp: {
          const seq = this.allocate(index, 'attempt');
          record.input = JSON.stringify(action.httpRequest);
          events.push(event(EventType.TaskScheduled, { EventId: seq, Name: HTTP_ACTIVITY, Input: record.input }));
          work.push({ kind: 'http', seq, request: action.httpRequest! });
          break;
        }
        case ActionType.CallEntity:
        case ActionType.SignalEntity: {
          const seq = this.allocate(index, 'attempt');
          const signal = action.actionType === ActionType.SignalEntity;
          const message: EntityMessage = { id: randomUUID(), op: action.operation!, signal, input, ...(signal ? {} : { parent: this.id }) };
          if (!signal) this.requests.add(message.id);
          events.push(event(EventType.EventSent, { EventId: seq, Name: 'op', InstanceId: action.instanceId!, Input: JSON.stringify(message) }));
          work.push({ kind: 'entity', target: action.instanceId!, message });
          break;
        }
        case ActionType.LockEntities: {
          const seq = this.allocate(index, 'attempt');
          const lockSet = (action.lockSet ?? []).map((e) => `@${e.name.toLowerCase()}@${e.key}`);
          const message: EntityMessage = { id: action.lockRequestId!, lockSet, position: 0, parent: this.id };
          this.requests.add(message.id);
          this.locks = lockSet;
          events.push(event(EventType.EventSent, { EventId: seq, Name: 'op', InstanceId: lockSet[0]!, Input: JSON.stringify(message) }));
          work.push({ kind: 'entity', target: lockSet[0]!, message });
          break;
        }
        case ActionType.ReleaseEntities: {
          // The SDK counts one sequence number per entity released.
          for (const target of this.locks) {
            const seq = this.allocate(index, 'attempt');
            const message: EntityMessage = { id: randomUUID(), release: true, parent: this.id };
            events.push(event(EventType.EventSent, { EventId: seq, Name: 'release', InstanceId: target, Input: JSON.stringify(message) }));
            work.push({ kind: 'entity', target, message });
          }
          this.locks = [];
          break;
        }
        case ActionType.ContinueAsNew:
          work.push({ kind: 'continueAsNew', input });
          break;
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
      if (e.EventType === EventType.TaskScheduled && e.Name === HTTP_ACTIVITY)
        work.push({ kind: 'http', seq: e.EventId, request: JSON.parse(e.Input!) as HttpRequestAction });
      else if (e.EventType === EventType.TaskScheduled)
        work.push({ kind: 'activity', seq: e.EventId, name: e.Name!, input: e.Input ?? '', attempt: this.attemptOf(e.EventId) });
      if (e.EventType === EventType.TimerCreated) work.push({ kind: 'timer', seq: e.EventId, fireAtMs: Date.parse(e.FireAt!) });
      if (e.EventType === EventType.SubOrchestrationInstanceCreated)
        work.push({
          kind: 'sub',
          seq: e.EventId,
          name: e.Name!,
          instanceId: e.InstanceId!,
          input: e.Input ?? '',
          ...(e.Version ? { version: e.Version } : {}),
        });
    }
    return work;
  }

  snapshot(): InstanceSnapshot {
    return {
      nextSeq: this.nextSeq,
      actions: this.actions.map((a) => ({ ...a, input: '' })),
      owners: [...this.owners],
      ...(this.customStatus !== null ? { customStatus: this.customStatus } : {}),
      ...(this.locks.length > 0 ? { locks: this.locks } : {}),
    };
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
      this.customStatus = last.customStatus ?? null;
      this.locks = last.locks ?? [];
    }
    for (const e of this.history) {
      if (e.EventType === EventType.EventSent) {
        const sent = JSON.parse(e.Input!) as EntityMessage;
        if (sent.parent) this.requests.add(sent.id);
      }
      if (e.EventType === EventType.EventRaised && this.requests.has(e.Name!)) this.answered.add(e.Name!);
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
      const pause = this.history.findLast((e) => e.EventType === EventType.ExecutionSuspended || e.EventType === EventType.ExecutionResumed);
      this.status = pause?.EventType === EventType.ExecutionSuspended ? 'Suspended' : this.history.length > 0 ? 'Running' : 'Pending';
    }
  }

  /** The record that starts this instance's log. */
  createdRecord(): CreatedRecord {
    return {
      id: this.id,
      name: this.name,
      input: this.input,
      ...(this.parent ? { parent: this.parent } : {}),
      createdTime: this.createdTime,
      executionId: this.executionId,
      ...(this.version ? { version: this.version } : {}),
    };
  }

  /**
   * Takes back the failures that ended a failed instance, so that their work runs again:
   * the ExecutionFailed, the failed result of each task's last attempt and the retry
   * timer made after it. Returns the ids of failed sub-orchestrations (to rewind too).
   * Refused when the orchestrator went on after such a failure (numbers taken since
   * would no longer match a replay).
   */
  rewind(reason: string): string[] {
    if (this.status !== 'Failed') throw new RewindError(`Instance '${this.id}' is ${this.status}: only failed instances can be rewound`);
    const lastAttempt = new Map<number, number>();
    for (const [seq, owner] of this.owners) if (owner.role === 'attempt') lastAttempt.set(owner.action, Math.max(seq, lastAttempt.get(owner.action) ?? -1));
    const failedSeqs = new Set<number>();
    for (const e of this.history) {
      const seq = completes(e);
      const failed = e.EventType === EventType.TaskFailed || e.EventType === EventType.SubOrchestrationInstanceFailed;
      if (failed && seq !== undefined && lastAttempt.get(this.owners.get(seq)?.action ?? -1) === seq) failedSeqs.add(seq);
    }
    const timers = [...this.owners].filter(
      ([seq, o]) => o.role === 'retryTimer' && [...failedSeqs].some((f) => this.owners.get(f)!.action === o.action && seq > f),
    );
    const dropped = new Set(timers.map(([seq]) => seq));
    if (dropped.size > 0) {
      const first = Math.min(...dropped);
      if ([...this.owners.keys()].some((seq) => seq > first && !dropped.has(seq)))
        throw new RewindError(`Instance '${this.id}' cannot be rewound: the orchestrator scheduled more work after the failure (${reason})`);
      for (const seq of dropped) this.owners.delete(seq);
      this.nextSeq = first;
    }
    const children: string[] = [];
    const keep = this.history.filter((e) => {
      const seq = completes(e) ?? (e.EventType === EventType.TimerCreated ? e.EventId : undefined);
      if (e.EventType === EventType.ExecutionFailed) return false;
      if (seq !== undefined && dropped.has(seq)) return false;
      if (seq !== undefined && failedSeqs.has(seq) && (e.EventType === EventType.TaskFailed || e.EventType === EventType.SubOrchestrationInstanceFailed)) {
        const created = this.history.find((c) => c.EventType === EventType.SubOrchestrationInstanceCreated && c.EventId === seq);
        if (created) children.push(created.InstanceId!);
        return false;
      }
      return true;
    });
    this.history.splice(0, this.history.length, ...keep);
    for (const seq of [...failedSeqs, ...dropped]) this.done.delete(seq);
    this.status = 'Running';
    this.output = null;
    this.lastUpdatedTime = new Date().toISOString();
    return children;
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

  private isFollowUpEvent(message: HistoryEvent): boolean {
    const seq = completes(message);
    const owner = seq === undefined ? undefined : this.owners.get(seq);
    const action = owner && this.actions[owner.action];
    if (!owner || !action) return false;
    if (action.type === ActionType.CreateTimer) return message.EventType === EventType.TimerFired && action.finalFireAtMs !== undefined;
    if (action.type === ActionType.CallHttp) {
      if (message.EventType === EventType.TimerFired) return owner.role === 'retryTimer';
      if (message.EventType !== EventType.TaskCompleted) return false;
      const request = (action.input ? JSON.parse(action.input) : {}) as { asynchronousPatternEnabled?: boolean };
      const response = JSON.parse(message.Result!) as { statusCode?: number; headers?: Record<string, string> };
      return request.asynchronousPatternEnabled !== false && response.statusCode === 202 && header(response.headers, 'location') !== undefined;
    }
    if (!action.retry) return false;
    const failed = message.EventType === EventType.TaskFailed || message.EventType === EventType.SubOrchestrationInstanceFailed;
    return (failed && owner.role === 'attempt') || (message.EventType === EventType.TimerFired && owner.role === 'retryTimer');
  }
}

/** When a long timer's next sub-timer fires: the end if it is near enough, else one interval on. */
function nextSubTimerMs(nowMs: number, finalMs: number): number {
  return finalMs - nowMs > MAX_SHORT_TIMER_MS ? nowMs + LONG_TIMER_INTERVAL_MS : finalMs;
}

function header(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers![key];
}

function flatten(actions: readonly WireAction[]): WireAction[] {
  return actions.flatMap((a) => (a.actionType === ActionType.WhenAll || a.actionType === ActionType.WhenAny ? flatten(a.compoundActions ?? []) : [a]));
}

function nameOf(action: WireAction): string {
  if (action.actionType === ActionType.CallEntity || action.actionType === ActionType.SignalEntity) return `${action.instanceId}.${action.operation}`;
  if (action.actionType === ActionType.CallHttp) return `${action.httpRequest?.method} ${action.httpRequest?.uri}`;
  return action.functionName ?? action.externalEventName ?? '';
}

function isSubOrchestration(type: number): boolean {
  return type === ActionType.CallSubOrchestrator || type === ActionType.CallSubOrchestratorWithRetry;
}

/**
 * An action's input as JSON text ('' for none). The SDK serializes string inputs of
 * activities and continueAsNew itself (Utils.processInput); sub-orchestrations and
 * entity operations carry the value as it was given, strings included.
 */
function inputText(action: WireAction): string {
  if (action.input === undefined) return '';
  const preSerialized =
    action.actionType === ActionType.CallActivity || action.actionType === ActionType.CallActivityWithRetry || action.actionType === ActionType.ContinueAsNew;
  if (preSerialized && typeof action.input === 'string') return action.input;
  return JSON.stringify(action.input) ?? '';
}

function describe(type: number, name: string): string {
  const kind = Object.entries(ActionType).find(([, t]) => t === type)?.[0] ?? `action type ${type}`;
  return name ? `${kind} '${name}'` : kind;
}
