/**
 * What a Durable execution leaves behind, read from the histories of its instance and
 * sub-orchestrations (the status API with `showHistory`): the trace (every
 * TaskCompleted result carries the activity's own record), the episodes, and the
 * usage the cost model bills.
 */
import { invocationOf } from '../../harness/adapter-kit/index.ts';
import type { InvocationRecord, Trace } from '../../harness/model/index.ts';
import type { ActivityOutput } from './orchestrator.ts';
import type { AzureStorageBill } from './function-storage.ts';

/** A history event as the status API returns it (EventType by name, payloads parsed). */
export interface StatusHistoryEvent {
  readonly EventType: string;
  readonly Result?: unknown;
  readonly Reason?: string;
  readonly InstanceId?: string;
  readonly ElapsedUs?: number;
}

export function traceOf(histories: readonly (readonly StatusHistoryEvent[])[], clock: Trace['clock']): Trace {
  const invocations: InvocationRecord[] = [];
  for (const event of histories.flat()) {
    if (event.EventType !== 'TaskCompleted') continue;
    invocations.push(invocationOf((event.Result as ActivityOutput).baton, clock));
  }
  return { clock, invocations };
}

/** What the activities' own storage calls are billed for, one bill per activity run that made any. */
export function storageBillsOf(histories: readonly (readonly StatusHistoryEvent[])[]): AzureStorageBill[] {
  return histories.flat().flatMap((e) => {
    const bill = e.EventType === 'TaskCompleted' ? (e.Result as ActivityOutput).baton.storageBill : undefined;
    return bill ? [bill] : [];
  });
}

/** Each orchestrator episode's replay time, where the host recorded it (the local host does). */
export function episodesUs(histories: readonly (readonly StatusHistoryEvent[])[]): number[] {
  return histories
    .flat()
    .filter((e) => e.EventType === 'OrchestratorCompleted' && typeof e.ElapsedUs === 'number')
    .map((e) => e.ElapsedUs!);
}

/** Faults seen in the histories: activity attempts that failed by injection. */
export function faultsOf(histories: readonly (readonly StatusHistoryEvent[])[]): Record<string, number> {
  const injected = histories.flat().filter((e) => e.EventType === 'TaskFailed' && e.Reason?.includes('injected fault (activity-error)')).length;
  return injected > 0 ? { 'activity-error': injected } : {};
}

/**
 * The cost model (not metered; see README): Azure Functions consumption bills every
 * orchestrator episode and activity run as one execution, of at least 100 ms, at
 * MEMORY_GB; the Azure Storage provider spends, per episode, a history query, a
 * history batch write and an instance-table write; per message (activity work item,
 * completion, start) a queue put, get and delete; per status poll of the client one
 * instance-table read. Idle queue polling is left out (it depends on wall time, not
 * on the workflow).
 */
export const MEMORY_GB = 0.25;
const MIN_BILLED_MS = 100;

export function usageOf(histories: readonly (readonly StatusHistoryEvent[])[], trace: Trace, polls: number, memoryGB = MEMORY_GB): Record<string, number> {
  const events = histories.flat();
  const count = (type: string) => events.filter((e) => e.EventType === type).length;
  const episodes = count('OrchestratorStarted');
  const activityRuns = count('TaskCompleted') + count('TaskFailed');
  const billedSeconds = (ms: number) => Math.max(MIN_BILLED_MS, Math.ceil(ms)) / 1000;
  const episodeSeconds = events.filter((e) => e.EventType === 'OrchestratorCompleted').reduce((sum, e) => sum + billedSeconds((e.ElapsedUs ?? 0) / 1000), 0);
  const activitySeconds =
    trace.invocations.reduce((sum, r) => sum + billedSeconds(Number(r.endNs - r.startNs) / 1e6), 0) + count('TaskFailed') * billedSeconds(0);
  const messages =
    count('TaskScheduled') +
    count('ExecutionStarted') +
    count('SubOrchestrationInstanceCreated') +
    count('TaskCompleted') +
    count('TaskFailed') +
    count('SubOrchestrationInstanceCompleted') +
    count('SubOrchestrationInstanceFailed') +
    count('TimerFired');
  return {
    'azure.functions.execution': episodes + activityRuns,
    'azure.functions.gbSecond': (episodeSeconds + activitySeconds) * memoryGB,
    'azure.storage.queue.operation': 3 * messages,
    'azure.storage.table.transaction': 3 * episodes + count('ExecutionStarted') + polls,
  };
}
