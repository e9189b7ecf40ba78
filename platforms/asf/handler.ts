/**
 * The Lambda handler Baton deploys for every workload function on Step Functions:
 * `BATON_FUNCTION` names the function. Its input may hold envelopes (outputs of other
 * functions); it unwraps them, noting their ids as its parents, decodes bytes, runs
 * the function, times it, and returns `{ value, baton }`. The execution history keeps
 * every envelope, so the adapter rebuilds the trace from it in both targets.
 *
 * With a store (`BATON_STORE`: dataPassing s3 or redis) it first fetches what the
 * pointers in its input point to and puts its output's data in the store (over
 * `BATON_OFFLOAD_BYTES`), outside the timed user code: that time is the exchange's. With
 * `BATON_NEXT` (dataPassing nested) it invokes the next function itself and waits.
 * With `BATON_FUNCTION_STORAGE` (a workload that declares storage) the function gets
 * `ctx.storage` and `ctx.nosql` over the deployment's bucket and tables.
 */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { decodeValue, encodeValue, windowsOf, type FunctionsModule, type WindowNode } from '../../harness/model/index.ts';
import { WORKER_ID, groupByKey, runFunction, takeColdStart, type FunctionRecord } from '../../harness/adapter-kit/index.ts';
import type { StorageRecord } from '../aws-local/data-passing.ts';
import { newStoreIo, offload, resolveRefs, type StoreIo } from '../aws-local/offload.ts';
import { storeAt, type StoreAddress, type ValueStore } from '../aws-local/value-store.ts';
import { caughtError } from './caught.ts';
import { functionStorageFromEnv, newStorageBill, type StorageBill } from '../aws-local/function-storage.ts';

export interface BatonRecord extends FunctionRecord {
  /** Baton's own steps (a shuffle's grouping): not user code, left out of traces. */
  readonly system?: boolean;
  /** For system steps: the invocations whose outputs they pass on. */
  readonly carries?: readonly string[];
  /** The whole handler's duration (unwrapping and the wrapper included) as Lambda bills it: rounded up to 1 ms. */
  readonly billedMs?: number;
  /** What this run did with the data-passing store (dataPassing s3 or redis); not the function's own `storage`. */
  readonly passing?: StorageRecord;
  /**
   * With a store, a long list of parents (a reducer's: every mapper) is kept there under this
   * key, not in the state, which would hold it for every branch; the adapter reads it back.
   * Baton's own record, not the workflow's data: not counted in `passing`.
   */
  readonly parentsKey?: string;
  /** What the function's own storage calls (ctx.storage, ctx.nosql) are billed for, when it made any. */
  readonly storageBill?: StorageBill;
}

/** Parents beyond this many go to the store with dataPassing s3 or redis (BatonRecord.parentsKey). */
const PARENTS_IN_STATE = 16;

export interface Envelope {
  readonly value: unknown;
  readonly baton: BatonRecord;
}

/** What the first function of a nested chain returns: the last one's value and every record, first to last. */
export interface NestedResult {
  readonly value: unknown;
  readonly records: readonly BatonRecord[];
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

export function createHandler(functions: FunctionsModule['functions']): (event: unknown) => Promise<Envelope | NestedResult> {
  const store = storeFromEnv();
  const offloadBytes = Number(process.env['BATON_OFFLOAD_BYTES'] ?? 0);
  const next = process.env['BATON_NEXT'];
  const storePrefix = process.env['BATON_STORE_PREFIX'] ?? 'baton';
  const functionStorage = functionStorageFromEnv(process.env);
  const handle = async (event: unknown, io: StoreIo): Promise<Envelope> => {
    const fnName = process.env['BATON_FUNCTION'] ?? '';
    const cold = takeColdStart();
    // The grouping step moves values by their keys, pointers and all: it needs none of the data, only the mappers' outputs.
    if (fnName === '$group') return group(store ? await resolveRefs(event, store, io, { wholeOnly: true }) : event, cold);
    const input = store ? await resolveRefs(event, store, io) : event;
    const { value: unwrapped, parents } = unwrap(input);
    const raw = caughtError(unwrapped);
    if (fnName === '$window') return cutWindows(raw, [...parents], cold);
    const bill = newStorageBill();
    const storage = functionStorage ? { storage: functionStorage.for(bill) } : {};
    const { value, record } = await runFunction({ name: fnName, fn: functions[fnName], encodedInput: raw, parents: [...parents], cold, ...storage });
    return { value, baton: { ...record, ...(record.storage ? { storageBill: bill } : {}) } };
  };
  return async (event) => {
    const startedNs = process.hrtime.bigint();
    const io = newStoreIo();
    let envelope = await handle(event, io);
    const value = store ? await offload(envelope.value, store, `${storePrefix}/${envelope.baton.id}`, offloadBytes, io) : envelope.value;
    const passing = io.puts + io.gets > 0 ? { passing: io } : {};
    // Baton's own steps are left out of traces: their parents are not read back.
    if (store && !envelope.baton.system && envelope.baton.parents.length > PARENTS_IN_STATE) {
      const parentsKey = `${storePrefix}/${envelope.baton.id}-parents`;
      await store.put(parentsKey, Buffer.from(JSON.stringify(envelope.baton.parents)));
      envelope = { ...envelope, baton: { ...envelope.baton, parents: [], parentsKey } };
    }
    const billed = (): number => Math.max(1, Math.ceil(Number(process.hrtime.bigint() - startedNs) / 1e6));
    if (next === undefined) return { value, baton: { ...envelope.baton, ...passing, billedMs: billed() } };
    // Nested: the caller waits for the rest of the chain, and is billed for the wait.
    const rest = await invokeNext(next, { value, baton: envelope.baton });
    return { value: rest.value, records: [{ ...envelope.baton, ...passing, billedMs: billed() }, ...rest.records] };
  };
}

function storeFromEnv(): ValueStore | undefined {
  const address = process.env['BATON_STORE'];
  return address ? storeAt(JSON.parse(address) as StoreAddress) : undefined;
}

let lambda: LambdaClient | undefined;

async function invokeNext(functionName: string, envelope: Envelope): Promise<NestedResult> {
  const endpoint = process.env['BATON_LAMBDA_ENDPOINT'];
  lambda ??= new LambdaClient(endpoint ? { endpoint } : {});
  const answer = await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: JSON.stringify(envelope) }));
  const text = Buffer.from(answer.Payload ?? new Uint8Array()).toString('utf8');
  if (answer.FunctionError) throw new Error(`${functionName} failed: ${text}`);
  const result = JSON.parse(text) as Envelope | NestedResult;
  return 'records' in result ? result : { value: result.value, records: [result.baton] };
}

/** A window node's cutting step: `{ events, size }` -> one envelope per window, each carrying the events' producers. */
function cutWindows(input: unknown, parents: string[], cold: boolean): Envelope {
  const { events, size } = input as { events: unknown; size: WindowNode['size'] };
  const decoded = decodeValue(events);
  if (!Array.isArray(decoded)) throw new Error('window: input must be an array of events');
  const record = systemRecord('$window', parents, cold);
  return { value: windowsOf(decoded, size).map((w) => ({ value: encodeValue(w), baton: record })), baton: record };
}

/**
 * A shuffle's grouping step: mapper outputs `{ key: value }` -> `[{ key, values }]` by key,
 * each group carrying the ids of the mappers that contributed to it (its reducer's parents).
 */
function group(event: unknown, cold: boolean): Envelope {
  if (!Array.isArray(event)) throw new Error('shuffle: the mappers did not return an array');
  const mapped = event.map((out) => unwrap(out));
  const groups = groupByKey(
    mapped.map((m) => m.value),
    (i) => [...mapped[i]!.parents],
  );
  const record = systemRecord(
    '$group',
    mapped.flatMap((m) => [...m.parents]),
    cold,
  );
  const value = groups.map(({ key, values, from }) => ({ value: { key, values }, baton: { ...record, carries: from } }));
  return { value, baton: record };
}

/** The record of one of Baton's own steps: no user code, left out of traces; it carries its inputs' producers. */
function systemRecord(fn: string, parents: string[], cold: boolean): BatonRecord {
  const now = process.hrtime.bigint();
  return {
    id: randomUUID(),
    fn,
    startNs: String(now),
    endNs: String(now),
    startEpochMs: Date.now(),
    endEpochMs: Date.now(),
    cold,
    parents,
    inBytes: 0,
    outBytes: 0,
    worker: WORKER_ID,
    system: true,
    carries: parents,
  };
}
