/**
 * What the local Durable host writes to its store, and the messages its parts pass:
 * the shapes alone, so that the store, instances and entities share them without
 * depending on one another.
 */
import type { HistoryEvent } from './history.ts';

/** A message to an entity: an operation (a call, answered to `parent`; or a signal), a lock request or a release. */
export interface EntityMessage {
  readonly id: string;
  readonly op?: string;
  readonly signal?: boolean;
  /** The operation's input as JSON text ('' for none). */
  readonly input?: string;
  /** The orchestration that waits for the answer (calls and locks). */
  readonly parent?: string;
  /** A lock request: every entity of the set, in the order they are locked. */
  readonly lockSet?: readonly string[];
  /** Which entity of the lock set this message is for. */
  readonly position?: number;
  readonly release?: boolean;
}

export interface HttpRequestAction {
  readonly method: string;
  readonly uri: string;
  readonly content?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly tokenSource?: unknown;
}

export interface RetryOptions {
  readonly firstRetryIntervalInMilliseconds: number;
  readonly maxNumberOfAttempts: number;
  readonly backoffCoefficient?: number;
  readonly maxRetryIntervalInMilliseconds?: number;
  readonly retryTimeoutInMilliseconds?: number;
}

export interface ActionRecord {
  readonly type: number;
  readonly name: string;
  /** Kept in memory for retries; not in snapshots (the history's TaskScheduled has it). */
  input: string;
  readonly retry?: RetryOptions;
  attempts: number;
  /** When the first attempt was scheduled (retryTimeoutInMilliseconds counts from it). */
  readonly firstAttemptMs?: number;
  /** A sub-orchestration's own instance id, when the orchestrator gave one. */
  readonly instanceId?: string;
  readonly version?: string;
  /** A long timer's real end (its sub-timers lead up to it). */
  readonly finalFireAtMs?: number;
}

/** What survives a restart besides the history: the host's bookkeeping, saved with every commit. */
export interface InstanceSnapshot {
  readonly nextSeq: number;
  readonly actions: readonly ActionRecord[];
  readonly owners: readonly (readonly [number, { readonly action: number; readonly role: 'attempt' | 'retryTimer' }])[];
  readonly customStatus?: unknown;
  /** The entities this orchestration holds locked (scheduler ids), if it is in a critical section. */
  readonly locks?: readonly string[];
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

/** The orchestration (and its run) that started a sub-orchestration, and the task that waits for it. */
export interface ParentRef {
  readonly id: string;
  readonly seq: number;
  readonly executionId?: string;
}

export interface CreatedRecord {
  readonly id: string;
  readonly name: string;
  readonly input: string;
  readonly parent?: { readonly id: string; readonly seq: number; readonly executionId?: string };
  readonly createdTime: string;
  readonly executionId?: string;
  readonly version?: string;
}

export interface EntityStateRecord {
  readonly exists: boolean;
  readonly state?: string;
  readonly lockedBy?: string;
}

/** What one batch committed: the ids it consumed, the entity after it, the answers it sent. */
export interface EntityCommit {
  readonly consumed: readonly string[];
  readonly entity: EntityStateRecord;
  readonly outbox: readonly { readonly to: string; readonly event: HistoryEvent }[];
}
