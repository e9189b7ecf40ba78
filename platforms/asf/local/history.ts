/**
 * Execution history in the real service's event names and shapes, assembled from
 * aws-local-stepfunctions' event log and the stand-in's own Lambda calls.
 */
export interface HistoryEvent {
  readonly timestamp: Date;
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly [details: string]: unknown;
}

interface Pending {
  readonly atMs: number;
  readonly seq: number;
  readonly type: string;
  readonly details: Record<string, unknown>;
}

/** What a state type's Entered/Exited events are called. */
const STATE_PREFIX: Record<string, string> = {
  Task: 'Task',
  Parallel: 'Parallel',
  Map: 'Map',
  Choice: 'Choice',
  Pass: 'Pass',
  Wait: 'Wait',
  Succeed: 'Succeed',
  Fail: 'Fail',
};

export class HistoryRecorder {
  private readonly pending: Pending[] = [];
  private seq = 0;

  add(type: string, details: Record<string, unknown> = {}, atMs = performance.timeOrigin + performance.now()): void {
    this.pending.push({ atMs, seq: this.seq++, type, details });
  }

  /** One event of aws-local-stepfunctions' log, in the service's terms. */
  addLibraryEvent(event: { type: string; timestamp: number; [key: string]: unknown }): void {
    const state = event['state'] as { name: string; type: string; input?: unknown; output?: unknown } | undefined;
    const parent = event['parentState'] as { name: string } | undefined;
    // The log's timestamps are whole milliseconds; events that close something go to the
    // end of their millisecond, so that they follow the Lambda events recorded within it.
    const closing = /Exited|Succeeded|Failed|Terminated/.test(event.type);
    const at = event.timestamp + (closing ? 0.999 : 0);
    const json = (value: unknown): string => JSON.stringify(value ?? null);
    switch (event.type) {
      case 'ExecutionStarted':
        return this.add('ExecutionStarted', { executionStartedEventDetails: { input: json(event['input']) } }, at);
      case 'ExecutionSucceeded':
        return this.add('ExecutionSucceeded', { executionSucceededEventDetails: { output: json(event['output']) } }, at);
      case 'ExecutionFailed':
        return this.add('ExecutionFailed', { executionFailedEventDetails: { error: event['Error'], cause: String(event['Cause'] ?? '') } }, at);
      case 'ExecutionTerminated':
        return this.add('ExecutionAborted', {}, at);
      case 'StateEntered':
        return this.add(
          `${STATE_PREFIX[state!.type] ?? state!.type}StateEntered`,
          { stateEnteredEventDetails: { name: state!.name, input: json(state!.input) } },
          at,
        );
      case 'StateExited':
        return this.add(
          `${STATE_PREFIX[state!.type] ?? state!.type}StateExited`,
          { stateExitedEventDetails: { name: state!.name, output: json(state!.output) } },
          at,
        );
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        return this.add(event.type, { [`${lowerFirst(event.type)}EventDetails`]: { name: parent?.name, index: event['index'] } }, at);
      case 'ParallelBranchStarted':
        return this.add('ParallelStateStarted', {}, at);
      case 'ParallelBranchSucceeded':
        return this.add('ParallelStateSucceeded', {}, at);
      case 'ParallelBranchFailed':
        return this.add('ParallelStateFailed', {}, at);
      default:
        return; // StateFailed/Retried/Caught: the Task* / Lambda* events already say it
    }
  }

  events(): HistoryEvent[] {
    const ordered = [...this.pending].sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    return ordered.map((p, i) => ({ timestamp: new Date(p.atMs), type: p.type, id: i + 1, previousEventId: i, ...p.details }));
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
