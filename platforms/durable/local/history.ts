/**
 * Orchestration history events as the Durable Functions extension hands them to an
 * out-of-process SDK: plain JSON, PascalCase, `EventType` numbers of the SDK's
 * `HistoryEventType`. Completion events name the event they complete by
 * `TaskScheduledId` (activities, sub-orchestrations) or `TimerId`: the sequence number
 * the SDK gave the task when the orchestrator first yielded it.
 */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  GenericEvent: 17,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

/** What Azure records of a failure (the SDK turns it into a TaskFailedError). */
export interface FailureDetails {
  readonly ErrorType: string;
  readonly ErrorMessage: string;
  readonly StackTrace?: string;
  readonly IsNonRetriable?: boolean;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly InnerFailure?: FailureDetails;
}

/**
 * FailureDetails of an activity's error: its name as the type. With an exception
 * properties provider registered (`df.setExceptionPropertiesProvider`), the SDK's
 * activity wrapper puts the whole failure, as JSON, in the error's message; the
 * extension reads it from there, and so does this.
 */
export function failureOf(error: { readonly name?: string; readonly message: string; readonly stack?: string }): FailureDetails {
  const wrapped = parseWrapped(error.message);
  if (wrapped) return wrapped;
  return { ErrorType: error.name || 'Error', ErrorMessage: error.message, ...(error.stack ? { StackTrace: error.stack } : {}), IsNonRetriable: false };
}

function parseWrapped(message: string): FailureDetails | undefined {
  if (!message.startsWith('{"errorType"')) return undefined;
  try {
    const o = JSON.parse(message) as {
      errorType: string;
      errorMessage: string;
      stackTrace?: string;
      isNonRetriable?: boolean;
      properties?: Record<string, unknown>;
    };
    return {
      ErrorType: o.errorType,
      ErrorMessage: o.errorMessage,
      ...(o.stackTrace ? { StackTrace: o.stackTrace } : {}),
      IsNonRetriable: o.isNonRetriable ?? false,
      ...(o.properties ? { Properties: o.properties } : {}),
    };
  } catch {
    return undefined;
  }
}

export const EVENT_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(EventType).map(([name, type]) => [type, name]));

export interface HistoryEvent {
  readonly EventType: number;
  readonly EventId: number;
  IsPlayed: boolean;
  readonly Timestamp: string;
  readonly Name?: string;
  readonly Input?: string;
  readonly Result?: string;
  readonly Reason?: string;
  readonly Details?: string;
  readonly FailureDetails?: FailureDetails;
  readonly TaskScheduledId?: number;
  readonly TimerId?: number;
  readonly FireAt?: string;
  readonly InstanceId?: string;
  readonly Version?: string;
  readonly ParentInstance?: { readonly OrchestrationInstance: { readonly InstanceId: string }; readonly TaskScheduleId: number };
  /** Baton's addition on OrchestratorCompleted: how long the episode's replay took (µs). */
  readonly ElapsedUs?: number;
}

export function event(type: number, fields: Omit<HistoryEvent, 'EventType' | 'EventId' | 'IsPlayed' | 'Timestamp'> & { EventId?: number } = {}): HistoryEvent {
  return { EventId: -1, ...fields, EventType: type, IsPlayed: false, Timestamp: new Date().toISOString() };
}

/** Completion events: they finish the task with sequence number `completes(e)`. */
export function completes(e: HistoryEvent): number | undefined {
  switch (e.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return e.TaskScheduledId;
    case EventType.TimerFired:
      return e.TimerId;
    default:
      return undefined;
  }
}
