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
 * not finished runs again (at least once, as on Azure).
 */
import azureFunctions from '@azure/functions';
import { registrations } from '@azure/functions-core';
import { EventType, event, type HistoryEvent } from './history.ts';
import { Instance, type Work, type WireAction } from './instance.ts';
import { InstanceStore } from './store.ts';
import type { ActivityPool } from './activity-pool.ts';

// @azure/functions is a webpack bundle: Node cannot see its named exports from ESM.
const { InvocationContext } = azureFunctions;

/** Replay schema the host speaks (the SDK's ReplaySchema.V3). */
const UPPER_SCHEMA_VERSION = 2;
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
  private readonly store: InstanceStore;
  private readonly running = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  faults: Readonly<Record<string, number>>;

  private readonly options: HostOptions;

  constructor(options: HostOptions) {
    this.options = options;
    this.store = new InstanceStore(options.storeDir);
    this.faults = options.faults ?? {};
  }

  /** Loads the stored instances and starts again what was in flight. */
  recover(): void {
    for (const stored of this.store.load()) {
      const { id, name, input, parent } = stored.created;
      const instance = new Instance(id, name, input, parent);
      instance.restore(stored.commits, stored.messages);
      this.instances.set(id, instance);
    }
    for (const instance of this.instances.values()) {
      if (instance.isTerminal) continue;
      for (const work of instance.unfinishedWork()) this.dispatch(instance, work);
      this.kick(instance);
    }
  }

  orchestratorNames(): string[] {
    return [...registrations().values()].filter((r) => triggerType(r) === 'orchestrationTrigger').map((r) => r.metadata.name);
  }

  /** Creates an instance and queues its start; throws if the id is taken by a running one. */
  start(name: string, instanceId: string, input: string, parent?: { id: string; seq: number }): Instance {
    const existing = this.instances.get(instanceId);
    if (existing && !existing.isTerminal) throw new ConflictError(`An instance with ID '${instanceId}' already exists and is ${existing.status}`);
    const instance = new Instance(instanceId, name, input, parent);
    this.instances.set(instanceId, instance);
    this.store.reset(instanceId);
    this.store.append(instanceId, { created: { id: instanceId, name, input, parent, createdTime: instance.createdTime } });
    this.deliver(
      instance,
      event(EventType.ExecutionStarted, {
        Name: name,
        Input: input,
        ...(parent ? { ParentInstance: { OrchestrationInstance: { InstanceId: parent.id }, TaskScheduleId: parent.seq } } : {}),
      }),
    );
    return instance;
  }

  raiseEvent(instance: Instance, name: string, input: string): void {
    this.deliver(instance, event(EventType.EventRaised, { Name: name, Input: input }));
  }

  terminate(instance: Instance, reason: string): void {
    const terminated = event(EventType.ExecutionTerminated, { Reason: reason, Input: JSON.stringify(reason) });
    this.store.append(instance.id, { commit: { consumed: 0, events: [terminated], snapshot: instance.snapshot() } });
    this.commitToHistory(instance, [terminated]);
    instance.status = 'Terminated';
    instance.output = reason;
    instance.lastUpdatedTime = new Date().toISOString();
  }

  private fail(instance: Instance, reason: string): void {
    const failed = event(EventType.ExecutionFailed, { Reason: `Orchestrator function '${instance.name}' failed: ${reason}` });
    this.store.append(instance.id, { commit: { consumed: 0, events: [failed], snapshot: instance.snapshot() } });
    this.commitToHistory(instance, [failed]);
    instance.status = 'Failed';
    instance.output = failed.Reason;
    instance.lastUpdatedTime = new Date().toISOString();
    this.notifyParent(instance, failed);
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
    for (const timer of this.timers) clearTimeout(timer);
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
    if (this.running.has(instance.id)) return;
    this.running.add(instance.id);
    setImmediate(async () => {
      try {
        while (!this.closed && !instance.isTerminal && instance.inbox.length > 0) {
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
        this.running.delete(instance.id);
      }
    });
  }

  private async episode(instance: Instance): Promise<void> {
    const startNs = process.hrtime.bigint();
    const messages = instance.takeMessages();
    const retries = instance.allocateRetries(messages, Date.now());
    const started = event(EventType.OrchestratorStarted);
    // Events in the history are played (marked once, when committed); this episode's are new.
    const history = [...instance.history, started, ...messages];
    let events: HistoryEvent[] = [];
    let work: Work[] = [];
    let terminal: HistoryEvent | undefined;
    try {
      const { state, failure } = await this.replay(instance, history);
      const scheduled = instance.reconcile(state?.actions.flat() ?? [], failure !== undefined);
      events = scheduled.events;
      work = scheduled.work;
      if (failure !== undefined) terminal = event(EventType.ExecutionFailed, { Reason: `Orchestrator function '${instance.name}' failed: ${failure}` });
      else if (state!.isDone) terminal = event(EventType.ExecutionCompleted, { Result: JSON.stringify(state!.output ?? null) });
    } catch (error) {
      terminal = event(EventType.ExecutionFailed, { Reason: `Orchestrator function '${instance.name}' failed: ${(error as Error).message}` });
      work = [];
    }
    const completed = event(EventType.OrchestratorCompleted, { ElapsedUs: Number(process.hrtime.bigint() - startNs) / 1000 });
    const added = [...retries.events, ...events, completed, ...(terminal ? [terminal] : [])];
    for (const e of added) instance.dataBytes += payloadBytes(e);
    // The messages are in the store already: the commit names how many it consumed, in order.
    this.store.append(instance.id, { commit: { started, consumed: messages.length, events: added, snapshot: instance.snapshot() } });
    this.commitToHistory(instance, [started, ...messages, ...added]);
    instance.lastUpdatedTime = new Date().toISOString();
    if (terminal) {
      instance.status = terminal.EventType === EventType.ExecutionCompleted ? 'Completed' : 'Failed';
      instance.output = terminal.EventType === EventType.ExecutionCompleted ? JSON.parse(terminal.Result!) : terminal.Reason;
      this.notifyParent(instance, terminal);
      return;
    }
    instance.status = 'Running';
    for (const item of [...retries.work, ...work]) this.dispatch(instance, item);
  }

  /** One call of the real orchestrator handler; a thrown OrchestrationFailureError is the instance failing. */
  private async replay(instance: Instance, history: HistoryEvent[]): Promise<{ state?: OrchestratorState; failure?: string }> {
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
      maximumShortTimerDuration: '6.00:00:00',
      longRunningTimerIntervalDuration: '3.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
    };
    const context = new InvocationContext({ invocationId: `${instance.id}/${history.length}`, functionName: instance.name });
    try {
      return { state: (await registration.callback(trigger, context)) as OrchestratorState };
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const at = message.indexOf(OUT_OF_PROC_DATA);
      if (at < 0) throw error;
      // The SDK's OrchestrationFailureError carries the state after a label, as the extension reads it; its error is the orchestrator's.
      const state = JSON.parse(message.slice(at + OUT_OF_PROC_DATA.length)) as OrchestratorState;
      return { state, failure: state.error ?? 'the orchestrator threw' };
    }
  }

  private dispatch(instance: Instance, work: Work): void {
    if (this.closed) return;
    switch (work.kind) {
      case 'activity': {
        const injectFailure = work.attempt === 1 && Math.random() < (this.faults['activity-error'] ?? 0);
        const failed = (error: { message: string; stack?: string }) =>
          event(EventType.TaskFailed, {
            TaskScheduledId: work.seq,
            Reason: `Activity function '${work.name}' failed: ${error.message}`,
            Details: error.stack ?? '',
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
      case 'timer': {
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.deliver(instance, event(EventType.TimerFired, { TimerId: work.seq, FireAt: new Date(work.fireAtMs).toISOString() }));
          },
          Math.max(0, work.fireAtMs - Date.now()),
        );
        this.timers.add(timer);
        break;
      }
      case 'sub': {
        const child = this.instances.get(work.instanceId);
        if (child?.isTerminal) this.notifyParent(child, child.history.at(-1)!);
        else if (!child) this.start(work.name, work.instanceId, work.input, { id: instance.id, seq: work.seq });
        break;
      }
    }
  }

  private notifyParent(child: Instance, terminal: HistoryEvent): void {
    const parent = child.parent && this.instances.get(child.parent.id);
    if (!parent || !child.parent) return;
    const seq = child.parent.seq;
    this.deliver(
      parent,
      terminal.EventType === EventType.ExecutionCompleted
        ? event(EventType.SubOrchestrationInstanceCompleted, { TaskScheduledId: seq, Result: terminal.Result })
        : event(EventType.SubOrchestrationInstanceFailed, { TaskScheduledId: seq, Reason: terminal.Reason ?? 'the sub-orchestration failed', Details: '' }),
    );
  }
}

export class ConflictError extends Error {}

function payloadBytes(e: HistoryEvent): number {
  return (e.Result?.length ?? 0) + (e.Input?.length ?? 0);
}

function triggerType(registration: { metadata: { bindings: Readonly<Record<string, { type: string; direction: string }>> } }): string | undefined {
  return Object.values(registration.metadata.bindings).find((b) => b.direction === 'in' && /trigger$/i.test(b.type))?.type;
}
