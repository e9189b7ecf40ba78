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

  add(thread: Thread, type: string, details: Record<string, unknown> = {}, previousEventId = thread.lastEventId): number {
    const id = this.list.length + 1;
    this.list.push({ timestamp: new Date(), type, id, previousEventId, ...details });
    thread.lastEventId = id;
    return id;
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
