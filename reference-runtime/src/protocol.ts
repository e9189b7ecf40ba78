/** Messages between a node's scheduler (main thread) and its executor threads. */
import type { MessagePort } from 'node:worker_threads';
import type { StorageIo } from './durable/function-storage.ts';
import type { ArenaBuffers } from './store/arena.ts';
import type { RuntimeValue } from './value.ts';

export interface ExecutorData {
  readonly arena: ArenaBuffers;
  /** This executor's owner tag in the arena (its slot + 1). */
  readonly owner: number;
  /** How long an allocation may wait for memory before it fails. */
  readonly allocWaitMs: number;
  /** The executor's end of its channel with the node: calls come in, replies go out. */
  readonly port: MessagePort;
  /** How long the thread polls for its next call before it sleeps, µs (0: it sleeps at once). */
  readonly spinUs: number;
}

export interface CallMessage {
  readonly type: 'call';
  readonly callId: number;
  readonly functionsUrl: string;
  /** The app's durable store (AppSpec.durableDir), backing ctx.storage and ctx.nosql; absent: functions get none. */
  readonly durableDir?: string;
  /** AppSpec.cpuShare: the executor stretches the call's compute to this share of a CPU. */
  readonly cpuShare?: number;
  readonly fn: string;
  readonly invocationId: string;
  readonly attempt: number;
  /** Encoded: byte arrays are arena handles. */
  readonly input: RuntimeValue;
  /** When the node posted the message (process-wide monotonic clock, as every stamp here). */
  readonly sentNs: bigint;
}

/** When an executor got a call and when it posted the reply: the stamps of a hop's breakdown. */
export interface ExecutorStamps {
  readonly receivedNs: bigint;
  readonly repliedNs: bigint;
}

export type ReplyMessage =
  | ({
      readonly type: 'done';
      readonly callId: number;
      /** Encoded; its allocations are still pending for this executor until the node adopts them. */
      readonly output: RuntimeValue;
      readonly startNs: bigint;
      readonly endNs: bigint;
      /** The functions module was loaded for this call. */
      readonly cold: boolean;
      /** Output bytes that were not in the arena and had to be copied into it. */
      readonly copiedBytes: number;
      /** First blocks of everything this call allocated (its output's and its scratch). */
      readonly allocated: readonly number[];
      /** Its calls to ctx.storage and ctx.nosql, when it made any. */
      readonly storage?: StorageIo;
    } & ExecutorStamps)
  | ({
      readonly type: 'failed';
      readonly callId: number;
      readonly message: string;
      /** The thrown error's `name` (what a try's retry and catch match). */
      readonly errorName?: string;
      readonly startNs: bigint;
      readonly endNs: bigint;
      readonly cold: boolean;
      readonly allocated: readonly number[];
    } & ExecutorStamps);
