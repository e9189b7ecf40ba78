/**
 * Baton's local Durable Functions host: what the Durable Task extension does for an
 * out-of-process Node.js app, on one machine. It keeps every instance's history,
 * runs orchestrator *episodes* (each one a full replay of the real orchestrator
 * handler over the history plus the new events), turns the actions into history
 * events and work (activities on worker threads, timers, sub-orchestrations) and
 * feeds the results back as new events.
 *
 * With a store directory every new message and every episode's events are appended
 * and fsync'd before the host acts on them, so a killed host restarts where it was:
 * results already in the history are replayed, never taken twice; work scheduled and
 * not finished runs again (at least once, as on Azure). Entities (`entities.ts`), durable
 * HTTP calls (`http-calls.ts`) and long timers (`timers.ts`) have modules of their own.
 */
import azureFunctions from '@azure/functions';
import { registrations } from '@azure/functions-core';
import { EntityHost, isEntityId } from './entities.ts';
import { EventType, event, failureOf, type HistoryEvent } from './history.ts';
import { callHttp } from './http-calls.ts';
import { DEFAULT_HTTP_POLL_MS, Instance, LONG_TIMER_INTERVAL_MS, MAX_SHORT_TIMER_MS, type ParentRef, type Work, type WireAction } from './instance.ts';
import { InstanceStore, type DamagedLog, type StoreRecord } from './store.ts';
import { LongTimers } from './timers.ts';
import type { ActivityPool } from './activity-pool.ts';

// @azure/functions is a webpack bundle: Node cannot see its named exports from ESM.
const { InvocationContext } = azureFunctions;

/** Replay schema the host speaks (the SDK's ReplaySchema.V4: entity locks). */
const UPPER_SCHEMA_VERSION = 3;
const OUT_OF_PROC_DATA = '\n\n$OutOfProcData$:';
/** How an instance fails when its data outgrows what one worker process holds. */
export const OVER_LIMIT = "the orchestration's data is more than one worker process can hold";
/**
 * Payload text an instance may carry in its history and inbox. Each episode replays all
 * of it and the status API returns it as one string (V8 caps strings at 512 MB); Azure's
 * Consumption plan gives a worker 1.5 GB for all of that.
 */
export const MAX_INSTANCE_DATA_BYTES = 256 * 1024 * 1024;

interface OrchestratorState {
  readonly isDone: boolean;
  readonly actions: readonly (readonly WireAction[])[];
  readonly output?: unknown;
  readonly error?: string;
  readonly customStatus?: unknown;
}

export interface StartOptions {
  readonly parent?: ParentRef;
  readonly version?: string;
}

export interface HostOptions {
  readonly storeDir?: string;
  readonly activities: ActivityPool;
  /** Payload an instance may carry (default MAX_INSTANCE_DATA_BYTES). */
  readonly maxInstanceDataBytes?: number;
  /** Fault name -> probability (`activity-error`: an activity's first attempt fails), changed between runs. */
  faults?: Readonly<Record<string, number>>;
}

export class DurableHost {
  readonly instances = new Map<string, Instance>();
  readonly entities: EntityHost;
  /** Logs the last recovery could not read: those instances are left out, the others served. */
  damaged: readonly DamagedLog[] = [];
  private readonly store: InstanceStore;
  private readonly running = new Set<Instance>();
  private readonly timers = new LongTimers();
  private closed = false;
  faults: Readonly<Record<string, number>>;

  private readonly options: HostOptions;

  constructor(options: HostOptions) {
    this.options = options;
    this.store = new InstanceStore(options.storeDir);
    this.faults = options.faults ?? {};
    this.entities = new EntityHost({
      store: this.store,
      registration: (name) => {
        const registration = [...registrations().values()].find((r) => triggerType(r) === 'entityTrigger' && r.metadata.name.toLowerCase() === name);
        return registration ? { callback: registration.callback as (trigger: unknown, context: unknown) => unknown } : undefined;
      },
      answer: (instanceId, message) => {
        const instance = this.instances.get(instanceId);
        if (instance) this.deliver(instance, message);
      },
      context: (entityId) => new InvocationContext({ invocationId: `${entityId}/${Date.now()}`, functionName: entityId }),
    });
  }

  /** Loads the stored instances and entities and starts again what was in flight. */
  recover(): void {
    const { instances, damaged } = this.store.load();
    this.damaged = damaged;
    for (const stored of instances) {
      const { id, name, input, parent, executionId, version, createdTime } = stored.created;
      if (isEntityId(id)) {
        this.entities.restore(id, stored.messages, stored.entityCommits);
        continue;
      }
      const instance = new Instance(id, name, input, { parent, executionId, version, createdTime });
      instance.restore(stored.commits, stored.messages);
      this.instances.set(id, instance);
    }
    for (const instance of this.instances.values()) {
      if (instance.isTerminal || instance.status === 'Suspended') continue;
      this.resumeWork(instance);
    }
    this.entities.start();
  }

  /** Starts again the work of an instance that has no result yet, and sends its entity messages again (entities drop repeats). */
  private resumeWork(instance: Instance): void {
    for (const work of instance.unfinishedWork()) this.dispatch(instance, work);
    for (const e of instance.history) {
      if (e.EventType === EventType.EventSent) this.entities.deliver(e.InstanceId!, JSON.parse(e.Input!));
    }
    this.kick(instance);
  }

  orchestratorNames(): string[] {
    return [...registrations().values()].filter((r) => triggerType(r) === 'orchestrationTrigger').map((r) => r.metadata.name);
  }

  /** Creates an instance and queues its start; throws if the id is taken by a running one. */
  start(name: string, instanceId: string, input: string, options: StartOptions = {}, carried?: readonly HistoryEvent[]): Instance {
    const existing = this.instances.get(instanceId);
    const continuing = carried !== undefined;
    if (existing && !existing.isTerminal && !continuing)
      throw new ConflictError(`An instance with ID '${instanceId}' already exists and is ${existing.status}`);
    const { parent, version } = options;
    const instance = new Instance(instanceId, name, input, { parent, version });
    this.instances.set(instanceId, instance);
    const started = event(EventType.ExecutionStarted, {
      Name: name,
      Input: input,
      ...(version ? { Version: version } : {}),
      ...(parent ? { ParentInstance: { OrchestrationInstance: { InstanceId: parent.id }, TaskScheduleId: parent.seq } } : {}),
    });
    // A fresh log in one step: nothing of an earlier instance under this id survives, and a crash leaves one or the other.
    const messages = [started, ...(carried ?? [])].filter((m) => instance.receive(m));
    this.store.replace(instanceId, [{ created: instance.createdRecord() }, ...messages.map((message) => ({ message }))]);
    for (const m of messages) instance.dataBytes += payloadBytes(m);
    this.kick(instance);
    return instance;
  }

  raiseEvent(instance: Instance, name: string, input: string): void {
    this.deliver(instance, event(EventType.EventRaised, { Name: name, Input: input }));
  }

  terminate(instance: Instance, reason: string): void {
    const terminated = event(EventType.ExecutionTerminated, { Reason: reason, Input: JSON.stringify(reason) });
    this.commitEvents(instance, [terminated]);
    instance.status = 'Terminated';
    instance.output = reason;
    this.notifyParent(instance, terminated);
  }

  /** Stops running episodes for the instance; messages wait until it is resumed. */
  suspend(instance: Instance, reason: string): void {
    this.commitEvents(instance, [event(EventType.ExecutionSuspended, { Reason: reason })]);
    instance.status = 'Suspended';
  }

  resume(instance: Instance, reason: string): void {
    this.commitEvents(instance, [event(EventType.ExecutionResumed, { Reason: reason })]);
    instance.status = instance.history.some((e) => e.EventType === EventType.OrchestratorStarted) ? 'Running' : 'Pending';
    this.kick(instance);
  }

  /**
   * Rewinds a failed instance: the failures that ended it (the last failed attempt of each
   * task, the retry timer after it, the ExecutionFailed) leave the history, and that work
   * runs again; failed sub-orchestrations are rewound with it. The log is replaced in one step.
   */
  rewind(instance: Instance, reason: string): void {
    const children = instance.rewind(reason);
    const records: StoreRecord[] = [
      { created: instance.createdRecord() },
      { commit: { consumed: 0, events: instance.history, snapshot: instance.snapshot() } },
      ...instance.inbox.map((message) => ({ message })),
    ];
    this.store.replace(instance.id, records);
    for (const childId of children) {
      const child = this.instances.get(childId);
      if (child?.status === 'Failed') this.rewind(child, reason);
    }
    this.resumeWork(instance);
  }

  private fail(instance: Instance, reason: string): void {
    const failed = event(EventType.ExecutionFailed, {
      Reason: `Orchestrator function '${instance.name}' failed: ${reason}`,
      FailureDetails: { ErrorType: 'OrchestrationFailure', ErrorMessage: reason, IsNonRetriable: true },
    });
    this.commitEvents(instance, [failed]);
    instance.status = 'Failed';
    instance.output = failed.Reason;
    this.notifyParent(instance, failed);
  }

  /** Commits events the host adds outside an episode (terminate, suspend, a failure of the host's). */
  private commitEvents(instance: Instance, events: HistoryEvent[]): void {
    this.store.append(instance.id, { commit: { consumed: 0, events, snapshot: instance.snapshot() } });
    this.commitToHistory(instance, events);
    instance.lastUpdatedTime = new Date().toISOString();
  }

  /** Appends committed events to the in-memory history, as played: the next episode replays them. */
  private commitToHistory(instance: Instance, events: readonly HistoryEvent[]): void {
    for (const e of events) e.IsPlayed = true;
    instance.history.push(...events);
  }

  /** Forgets a finished instance: its history leaves memory and the store. */
  purge(instance: Instance): void {
    this.instances.delete(instance.id);
    this.store.remove(instance.id);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timers.clear();
    this.entities.close();
    await this.options.activities.close();
  }

  private deliver(instance: Instance, message: HistoryEvent): void {
    if (this.closed || instance.isTerminal) return;
    if (!instance.receive(message)) return;
    instance.dataBytes += payloadBytes(message);
    this.store.append(instance.id, { message });
    this.kick(instance);
  }

  /** Runs episodes for an instance until its inbox is empty; one episode at a time per instance. */
  private kick(instance: Instance): void {
    if (this.running.has(instance)) return;
    this.running.add(instance);
    setImmediate(async () => {
      try {
        while (!this.closed && !instance.isTerminal && instance.status !== 'Suspended' && instance.inbox.length > 0) {
          if (this.instances.get(instance.id) !== instance) break; // replaced (continueAsNew, a new start)
          const limit = this.options.maxInstanceDataBytes ?? MAX_INSTANCE_DATA_BYTES;
          if (instance.dataBytes > limit) {
            this.fail(
              instance,
              `${OVER_LIMIT}: ${(instance.dataBytes / 2 ** 20).toFixed(1)} MB of inputs and results, over the local host's ${limit / 2 ** 20} MB`,
            );
            break;
          }
          await this.episode(instance);
        }
      } catch (error) {
        // The host itself could not carry the episode (a history over V8's 512 MB string limit):
        // the instance fails with that reason, and the host goes on serving the others.
        this.fail(instance, `${OVER_LIMIT}: ${(error as Error).message}`);
      } finally {
        this.running.delete(instance);
      }
    });
  }

  private async episode(instance: Instance): Promise<void> {
    const startNs = process.hrtime.bigint();
    const messages = instance.takeMessages();
    const started = event(EventType.OrchestratorStarted);
    // The SDK's clock in this episode is the OrchestratorStarted time: the host schedules by the same.
    const nowMs = Date.parse(started.Timestamp);
    const retries = instance.allocateFollowUps(messages, nowMs);
    // Events in the history are played (marked once, when committed); this episode's are new.
    const history = [...instance.history, started, ...messages];
    let events: HistoryEvent[] = [];
    let work: Work[] = [];
    let terminal: HistoryEvent | undefined;
    let continued: Work | undefined;
    try {
      const { state, failure } = await this.replay(instance, history);
      const scheduled = instance.reconcile(state?.actions.flat() ?? [], failure !== undefined, nowMs);
      events = scheduled.events;
      work = scheduled.work;
      instance.customStatus = state?.customStatus ?? instance.customStatus;
      continued = work.find((w) => w.kind === 'continueAsNew');
      if (failure !== undefined) terminal = executionFailed(instance.name, failure.message, failure.details);
      else if (continued) terminal = event(EventType.ExecutionCompleted, { Result: 'null', Reason: 'ContinuedAsNew' });
      else if (state!.isDone) terminal = event(EventType.ExecutionCompleted, { Result: JSON.stringify(state!.output ?? null) });
    } catch (error) {
      terminal = executionFailed(instance.name, (error as Error).message);
      work = [];
    }
    const completed = event(EventType.OrchestratorCompleted, { ElapsedUs: Number(process.hrtime.bigint() - startNs) / 1000 });
    const added = [...retries.events, ...events, completed, ...(terminal ? [terminal] : [])];
    for (const e of added) instance.dataBytes += payloadBytes(e);
    // The messages are in the store already: the commit names how many it consumed, in order.
    this.store.append(instance.id, { commit: { started, consumed: messages.length, events: added, snapshot: instance.snapshot() } });
    this.commitToHistory(instance, [started, ...messages, ...added]);
    instance.lastUpdatedTime = new Date().toISOString();
    if (continued?.kind === 'continueAsNew' && terminal?.Reason === 'ContinuedAsNew') {
      // The same instance runs again from a new history with the new input; raised events not yet taken carry over.
      for (const item of work) if (item.kind === 'entity') this.dispatch(instance, item);
      const carried = instance.inbox.filter((m) => m.EventType === EventType.EventRaised);
      this.start(instance.name, instance.id, continued.input, { parent: instance.parent, version: instance.version }, carried);
      return;
    }
    if (terminal) {
      instance.status = terminal.EventType === EventType.ExecutionCompleted ? 'Completed' : 'Failed';
      instance.output = terminal.EventType === EventType.ExecutionCompleted ? JSON.parse(terminal.Result!) : terminal.Reason;
      // Fire-and-forget messages of the last episode (signals, releases) still go out.
      for (const item of work) if (item.kind === 'entity') this.dispatch(instance, item);
      this.notifyParent(instance, terminal);
      return;
    }
    if (instance.status !== 'Suspended') instance.status = 'Running';
    for (const item of [...retries.work, ...work]) this.dispatch(instance, item);
  }

  /** One call of the real orchestrator handler; a thrown OrchestrationFailureError is the instance failing. */
  private async replay(instance: Instance, history: HistoryEvent[]): Promise<{ state?: OrchestratorState; failure?: { message: string; details?: unknown } }> {
    const registration = registrations().get(instance.name);
    if (!registration || triggerType(registration) !== 'orchestrationTrigger') {
      throw new Error(`The function '${instance.name}' doesn't exist, is disabled, or is not an orchestrator function`);
    }
    const trigger = {
      history,
      input: instance.input === '' ? undefined : JSON.parse(instance.input),
      instanceId: instance.id,
      isReplaying: instance.history.length > 0,
      parentInstanceId: instance.parent?.id,
      upperSchemaVersion: UPPER_SCHEMA_VERSION,
      // The Azure Storage provider's timer limits, as the extension sends them (TimeSpan text).
      maximumShortTimerDuration: timeSpan(MAX_SHORT_TIMER_MS),
      longRunningTimerIntervalDuration: timeSpan(LONG_TIMER_INTERVAL_MS),
      defaultHttpAsyncRequestSleepTimeMillseconds: DEFAULT_HTTP_POLL_MS,
    };
    const context = new InvocationContext({ invocationId: `${instance.id}/${history.length}`, functionName: instance.name });
    try {
      return { state: (await registration.callback(trigger, context)) as OrchestratorState };
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const at = message.indexOf(OUT_OF_PROC_DATA);
      if (at < 0) throw error;
      // The SDK's OrchestrationFailureError carries the state after a label, as the extension reads it; its error is the orchestrator's.
      const state = JSON.parse(message.slice(at + OUT_OF_PROC_DATA.length)) as OrchestratorState & { failureDetails?: unknown };
      return { state, failure: { message: state.error ?? 'the orchestrator threw', details: state.failureDetails } };
    }
  }

  private dispatch(instance: Instance, work: Work): void {
    if (this.closed) return;
    switch (work.kind) {
      case 'activity': {
        const injectFailure = work.attempt === 1 && Math.random() < (this.faults['activity-error'] ?? 0);
        const failed = (error: { name?: string; message: string; stack?: string }) =>
          event(EventType.TaskFailed, {
            TaskScheduledId: work.seq,
            Reason: `Activity function '${work.name}' failed: ${error.message}`,
            Details: error.stack ?? '',
            FailureDetails: failureOf(error),
          });
        void this.options.activities.run(work.name, work.input, injectFailure).then(
          (outcome) =>
            this.deliver(
              instance,
              'result' in outcome ? event(EventType.TaskCompleted, { TaskScheduledId: work.seq, Result: outcome.result }) : failed(outcome.error),
            ),
          // A worker that could not load the app fails the activity; after close(), deliver() drops it.
          (error: Error) => this.deliver(instance, failed(error)),
        );
        break;
      }
      case 'timer':
        this.timers.at(work.fireAtMs, () =>
          this.deliver(instance, event(EventType.TimerFired, { TimerId: work.seq, FireAt: new Date(work.fireAtMs).toISOString() })),
        );
        break;
      case 'sub': {
        const child = this.instances.get(work.instanceId);
        const ours = child?.parent?.id === instance.id && child.parent.seq === work.seq && child.parent.executionId === instance.executionId;
        if (child && ours && child.isTerminal) this.notifyParent(child, child.history.at(-1)!);
        else if (child && ours)
          break; // running already (a restarted host)
        else if (child && !child.isTerminal) {
          const reason = `An instance with ID '${work.instanceId}' already exists and is ${child.status}`;
          this.deliver(
            instance,
            event(EventType.SubOrchestrationInstanceFailed, {
              TaskScheduledId: work.seq,
              Reason: reason,
              Details: '',
              FailureDetails: { ErrorType: 'OrchestrationAlreadyExistsException', ErrorMessage: reason },
            }),
          );
        } else {
          const parent = { id: instance.id, seq: work.seq, executionId: instance.executionId };
          this.start(work.name, work.instanceId, work.input, { parent, ...(work.version ? { version: work.version } : {}) });
        }
        break;
      }
      case 'entity':
        this.entities.deliver(work.target, work.message);
        break;
      case 'http':
        void callHttp(work.request).then(
          (response) => this.deliver(instance, event(EventType.TaskCompleted, { TaskScheduledId: work.seq, Result: JSON.stringify(response) })),
          (error: Error) =>
            this.deliver(
              instance,
              event(EventType.TaskFailed, {
                TaskScheduledId: work.seq,
                Reason: `Durable HTTP request to ${work.request.uri} failed: ${error.message}`,
                Details: error.stack ?? '',
                FailureDetails: failureOf(error),
              }),
            ),
        );
        break;
      case 'continueAsNew':
        break; // the episode restarts the instance
    }
  }

  private notifyParent(child: Instance, terminal: HistoryEvent): void {
    const parent = child.parent && this.instances.get(child.parent.id);
    if (!parent || !child.parent) return;
    if (child.parent.executionId && parent.executionId !== child.parent.executionId) return; // a run of the parent that is gone
    const seq = child.parent.seq;
    const reason = terminal.Reason ?? 'the sub-orchestration failed';
    this.deliver(
      parent,
      terminal.EventType === EventType.ExecutionCompleted
        ? event(EventType.SubOrchestrationInstanceCompleted, { TaskScheduledId: seq, Result: terminal.Result })
        : event(EventType.SubOrchestrationInstanceFailed, {
            TaskScheduledId: seq,
            Reason: reason,
            Details: '',
            FailureDetails: {
              ErrorType: 'TaskFailedException',
              ErrorMessage: `Sub-orchestration '${child.name}' (instance '${child.id}') failed: ${reason}`,
              ...(terminal.FailureDetails ? { InnerFailure: terminal.FailureDetails } : {}),
            },
          }),
    );
  }
}

/** Whole days as .NET TimeSpan text ("d.hh:mm:ss"), as the extension sends durations. */
function timeSpan(ms: number): string {
  return `${ms / 86_400_000}.00:00:00`;
}

function executionFailed(name: string, message: string, details?: unknown): HistoryEvent {
  const wire = details as { ErrorType?: string; ErrorMessage?: string; StackTrace?: string } | undefined;
  return event(EventType.ExecutionFailed, {
    Reason: `Orchestrator function '${name}' failed: ${message}`,
    FailureDetails: {
      ErrorType: wire?.ErrorType ?? 'Error',
      ErrorMessage: wire?.ErrorMessage ?? message,
      ...(wire?.StackTrace ? { StackTrace: wire.StackTrace } : {}),
    },
  });
}

export class ConflictError extends Error {}

function payloadBytes(e: HistoryEvent): number {
  return (e.Result?.length ?? 0) + (e.Input?.length ?? 0);
}

function triggerType(registration: { metadata: { bindings: Readonly<Record<string, { type: string; direction: string }>> } }): string | undefined {
  return Object.values(registration.metadata.bindings).find((b) => b.direction === 'in' && /trigger$/i.test(b.type))?.type;
}
