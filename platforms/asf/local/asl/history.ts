/**
 * An execution's event history, in the service's event types and detail shapes, recorded
 * in the order things happen on one clock. `previousEventId` follows the thread of control
 * an event belongs to (a Map iteration, a Parallel branch), as the service's does.
 */
export interface HistoryEvent {
  readonly timestamp: Date;
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly [details: string]: unknown;
}

/** One line of control: events it adds follow the last one it added. */
export interface Thread {
  lastEventId: number;
}

export class History {
  private readonly list: HistoryEvent[] = [];
  private closed = false;

  add(thread: Thread, type: string, details: Record<string, unknown> = {}, previousEventId = thread.lastEventId): number {
    // After the execution's terminal event nothing more happens in it (work still in flight when it was stopped ends unrecorded).
    if (this.closed) return this.list.length;
    const id = this.list.length + 1;
    this.list.push({ timestamp: new Date(), type, id, previousEventId, ...details });
    thread.lastEventId = id;
    return id;
  }

  /** Records the terminal event; the history takes no more. */
  close(thread: Thread, type: string, details: Record<string, unknown>): void {
    this.add(thread, type, details);
    this.closed = true;
  }

  events(): readonly HistoryEvent[] {
    return this.list;
  }
}

const NOT_TRUNCATED = { truncated: false } as const;

export const enteredDetails = (name: string, input: unknown) => ({
  stateEnteredEventDetails: { name, input: JSON.stringify(input), inputDetails: NOT_TRUNCATED },
});

export const exitedDetails = (name: string, output: unknown, assigned?: Record<string, unknown>) => ({
  stateExitedEventDetails: {
    name,
    output: JSON.stringify(output),
    outputDetails: NOT_TRUNCATED,
    ...(assigned
      ? { assignedVariables: Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, JSON.stringify(v)])), assignedVariablesDetails: NOT_TRUNCATED }
      : {}),
  },
});

export const withoutTruncation = (key: string, value: unknown) => ({ [key]: JSON.stringify(value), [`${key}Details`]: NOT_TRUNCATED });
