/**
 * The Lambda handler Baton deploys for every workload function on Step Functions:
 * `BATON_FUNCTION` names the function. Its input may hold envelopes (outputs of other
 * functions); it unwraps them, noting their ids as its parents, decodes bytes, runs
 * the function, times it, and returns `{ value, baton }`. The execution history keeps
 * every envelope, so the adapter rebuilds the trace from it in both targets.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { decodeValue, encodeValue, jsonSizeBytes, windowsOf, type FunctionsModule, type Value, type WindowNode } from '../../harness/model/index.ts';
import type { FunctionRecord } from '../aws-local/function-record.ts';

export interface BatonRecord extends FunctionRecord {
  /** Baton's own steps (a shuffle's grouping): not user code, left out of traces. */
  readonly system?: boolean;
  /** For system steps: the invocations whose outputs they pass on. */
  readonly carries?: readonly string[];
}

export interface Envelope {
  readonly value: unknown;
  readonly baton: BatonRecord;
}

export function isEnvelope(json: unknown): json is Envelope {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && 'value' in json && 'baton' in json && Object.keys(json).length === 2;
}

/** Replaces envelopes by their values; returns the ids of the invocations they came from. */
export function unwrap(json: unknown, parents: Set<string> = new Set()): { value: unknown; parents: Set<string> } {
  const walk = (v: unknown): unknown => {
    if (isEnvelope(v)) {
      for (const id of v.baton.carries ?? [v.baton.id]) parents.add(id);
      return v.value;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item)]));
    return v;
  };
  return { value: walk(json), parents };
}

const WORKER = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
let cold = true;

export function createHandler(functions: FunctionsModule['functions']): (event: unknown) => Promise<Envelope> {
  return async (event) => {
    const fnName = process.env['BATON_FUNCTION'] ?? '';
    const wasCold = cold;
    cold = false;
    const { value: raw, parents } = unwrap(event);
    const id = randomUUID();
    if (fnName === '$group') return group(raw, [...parents], id, wasCold);
    if (fnName === '$window') return cutWindows(raw, [...parents], id, wasCold);
    const fn = functions[fnName];
    if (!fn) throw new Error(`BATON_FUNCTION '${fnName}' is not exported by the workload's functions`);
    const input = decodeValue(raw);
    const ctx = { invocationId: id, log: (m: string) => console.log(m), now: () => process.hrtime.bigint(), alloc: (n: number) => new Uint8Array(n) };
    const startEpochMs = Date.now();
    const startNs = process.hrtime.bigint();
    const output = await fn(input, ctx);
    const endNs = process.hrtime.bigint();
    const encoded = encodeValue(output);
    return {
      value: encoded,
      baton: {
        id, fn: fnName, startNs: String(startNs), endNs: String(endNs), startEpochMs, endEpochMs: Date.now(), cold: wasCold, parents: [...parents],
        inBytes: jsonSizeBytes(raw ?? null), outBytes: jsonSizeBytes(encoded ?? null), worker: WORKER,
      },
    };
  };
}

/** A window node's cutting step: `{ events, size }` -> one envelope per window, each carrying the events' producers. */
function cutWindows(input: unknown, parents: string[], id: string, wasCold: boolean): Envelope {
  const { events, size } = input as { events: unknown; size: WindowNode['size'] };
  const decoded = decodeValue(events);
  if (!Array.isArray(decoded)) throw new Error('window: input must be an array of events');
  const record = systemRecord('$window', id, parents, wasCold);
  return { value: windowsOf(decoded, size).map((w) => ({ value: encodeValue(w), baton: record })), baton: record };
}

/** A shuffle's grouping step: mapper outputs `{ key: value }` -> `[{ key, values }]` by key, each carrying its mappers' ids. */
function group(mapped: unknown, parents: string[], id: string, wasCold: boolean): Envelope {
  if (!Array.isArray(mapped)) throw new Error('shuffle: the mappers did not return an array');
  const groups = new Map<string, unknown[]>();
  for (const out of mapped as Value[]) {
    if (typeof out !== 'object' || out === null || Array.isArray(out)) throw new Error('shuffle: a mapper must return an object of { groupKey: value }');
    for (const [key, value] of Object.entries(out)) groups.set(key, [...(groups.get(key) ?? []), value]);
  }
  const record = systemRecord('$group', id, parents, wasCold);
  const value = [...groups.keys()].sort().map((key) => ({ value: { key, values: groups.get(key)! }, baton: record }));
  return { value, baton: record };
}

/** The record of one of Baton's own steps: no user code, left out of traces; it carries its inputs' producers. */
function systemRecord(fn: string, id: string, parents: string[], wasCold: boolean): BatonRecord {
  const now = process.hrtime.bigint();
  return {
    id, fn, startNs: String(now), endNs: String(now), startEpochMs: Date.now(), endEpochMs: Date.now(), cold: wasCold,
    parents, inBytes: 0, outBytes: 0, worker: WORKER, system: true, carries: parents,
  };
}
