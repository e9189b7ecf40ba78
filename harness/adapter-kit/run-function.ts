/**
 * The function wrapper every platform's host uses: runs one workload function on its
 * decoded input, times the user code on the host's clocks, and returns the encoded
 * output with the `FunctionRecord` that traces are built from. Cold starts are
 * counted per loaded copy of this module (a Lambda process, an activity worker thread).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { decodeValue, encodeValue, jsonSizeBytes, type FunctionContext, type WorkflowFunction } from '../model/index.ts';
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

export interface FunctionRun {
  readonly name: string;
  readonly fn: WorkflowFunction | undefined;
  /** The input as it travels (`encodeValue` form). */
  readonly encodedInput: unknown;
  readonly parents: readonly string[];
  /** The record's id, which other records name as a parent (default: a new UUID). */
  readonly recordId?: string;
  /** What the function sees as `ctx.invocationId` (default: the record's id). */
  readonly invocationId?: string;
  readonly cold: boolean;
  readonly log?: (message: string) => void;
}

export interface FunctionResult {
  /** The output as it travels (`encodeValue` form). */
  readonly value: unknown;
  readonly record: FunctionRecord;
}

export async function runFunction(run: FunctionRun): Promise<FunctionResult> {
  if (!run.fn) throw new Error(`function '${run.name}' is not exported by the workload's functions module`);
  const id = run.recordId ?? randomUUID();
  const ctx: FunctionContext = {
    invocationId: run.invocationId ?? id, log: run.log ?? ((m) => console.log(m)), now: () => process.hrtime.bigint(), alloc: (n) => new Uint8Array(n),
  };
  const input = decodeValue(run.encodedInput);
  const startEpochMs = Date.now();
  const startNs = process.hrtime.bigint();
  const output = await run.fn(input, ctx);
  const endNs = process.hrtime.bigint();
  const value = encodeValue(output);
  return {
    value,
    record: {
      id, fn: run.name, startNs: String(startNs), endNs: String(endNs), startEpochMs, endEpochMs: Date.now(), cold: run.cold,
      worker: WORKER_ID, parents: [...run.parents], inBytes: jsonSizeBytes(run.encodedInput ?? null), outBytes: jsonSizeBytes(value ?? null),
    },
  };
}
