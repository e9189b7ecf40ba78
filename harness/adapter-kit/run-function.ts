/**
 * The function wrapper every platform's host uses: runs one workload function on its
 * decoded input, times the user code on the host's clocks, and returns the encoded
 * output with the `FunctionRecord` that traces are built from. Cold starts are
 * counted per loaded copy of this module (a Lambda process, an activity worker thread).
 */
import { localCpuShare, throttleMs } from './cpu-share.ts';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  decodeValue,
  encodeValue,
  jsonSizeBytes,
  meteredStorage,
  newStorageIo,
  storageIoUsed,
  valueSizeBytes,
  type FunctionContext,
  type NoSqlStorage,
  type ObjectStorage,
  type Value,
  type WorkflowFunction,
} from '../model/index.ts';
import type { FunctionRecord } from './function-record.ts';

/** This process or thread, as traces name the executor. */
export const WORKER_ID = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

let loaded = false;

/** True the first time it is called in this process or thread: the invocation that paid for loading. */
export function takeColdStart(): boolean {
  const cold = !loaded;
  loaded = true;
  return cold;
}

export interface FunctionCall {
  readonly name: string;
  readonly fn: WorkflowFunction | undefined;
  readonly input: Value;
  readonly parents: readonly string[];
  /** The record's id, which other records name as a parent (default: a new UUID). */
  readonly recordId?: string;
  /** What the function sees as `ctx.invocationId` (default: the record's id). */
  readonly invocationId?: string;
  readonly cold: boolean;
  readonly log?: (message: string) => void;
  /** The platform's storage for functions, for a workflow that declares it: the function sees it metered. */
  readonly storage?: { readonly objects: ObjectStorage; readonly items: NoSqlStorage };
}

/** Runs one function on a value (no encoding: in-process hosts); sizes count bytes as bytes. */
export async function callFunction(call: FunctionCall): Promise<{ readonly output: Value; readonly record: FunctionRecord }> {
  if (!call.fn) throw new Error(`function '${call.name}' is not exported by the workload's functions module`);
  const id = call.recordId ?? randomUUID();
  const io = newStorageIo();
  const ctx: FunctionContext = {
    invocationId: call.invocationId ?? id,
    log: call.log ?? ((m) => console.log(m)),
    now: () => process.hrtime.bigint(),
    alloc: (n) => new Uint8Array(n),
    ...(call.storage ? meteredStorage(call.storage.objects, call.storage.items, io) : {}),
  };
  const startEpochMs = Date.now();
  const startNs = process.hrtime.bigint();
  const output = await call.fn(call.input, ctx);
  // The local Lambda's CPU share by memory (cpu-share.ts): part of the user code's time, as on Lambda.
  const share = localCpuShare();
  if (share < 1) {
    const computeMs = Math.max(0, Number(process.hrtime.bigint() - startNs) / 1e6 - io.us / 1000);
    await new Promise((resolve) => setTimeout(resolve, throttleMs(computeMs, share)));
  }
  const endNs = process.hrtime.bigint();
  return {
    output,
    record: {
      id,
      fn: call.name,
      startNs: String(startNs),
      endNs: String(endNs),
      startEpochMs,
      endEpochMs: Date.now(),
      cold: call.cold,
      worker: WORKER_ID,
      parents: [...call.parents],
      inBytes: valueSizeBytes(call.input),
      outBytes: valueSizeBytes(output),
      ...(storageIoUsed(io) ? { storage: io } : {}),
    },
  };
}

export interface FunctionRun extends Omit<FunctionCall, 'input'> {
  /** The input as it travels (`encodeValue` form). */
  readonly encodedInput: unknown;
}

export interface FunctionResult {
  /** The output as it travels (`encodeValue` form). */
  readonly value: unknown;
  readonly record: FunctionRecord;
}

/** Runs one function on an encoded input (JSON payloads: Lambda, activities); sizes are the payloads' JSON sizes. */
export async function runFunction(run: FunctionRun): Promise<FunctionResult> {
  const { output, record } = await callFunction({ ...run, input: decodeValue(run.encodedInput) });
  const value = encodeValue(output);
  return { value, record: { ...record, inBytes: jsonSizeBytes(run.encodedInput ?? null), outBytes: jsonSizeBytes(value ?? null) } };
}
