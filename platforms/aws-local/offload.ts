/**
 * Large values through a store, a pointer in the state: the pattern AWS documents for Step
 * Functions payloads over 256 KB ("use Amazon S3 ARNs instead of passing large payloads"),
 * and the one Redis (ElastiCache) users follow with a key.
 *
 * What goes to the store first are a value's leaves that carry data: bytes (`{ $bytes }`)
 * and strings over 1 KB, largest first, until the rest fits `thresholdBytes`. Arrays,
 * records, numbers and short strings stay in the state, so a Map state can still iterate a
 * function's output and a Choice state still reads the fields it compares. Only when that
 * is not enough (a shuffle's groups: thousands of pointers) do whole values go.
 */
import { BYTES_TAG } from '../../harness/model/index.ts';
import type { ValueStore } from './value-store.ts';

/** The pointer that replaces a value: `{ "$baton.ref": key, "sizeBytes": n, "bytes"?: true, "whole"?: true }`. */
export const REF_TAG = '$baton.ref';
/**
 * After the data leaves, array items go whole while the value is over its threshold, but
 * not below 4 KiB (a few pointers and numbers stay where they are read), or while its
 * structure alone is over 64 KiB: a value of thousands of pointers is one a later state
 * may hold twice (a fold carries its items and its state together).
 */
const WHOLE_VALUES_OVER_BYTES = 4096;
const WHOLE_VALUES_UNDER_BYTES = 64 * 1024;
/**
 * Store requests one side keeps in flight at once, as an SDK client's connection pool does
 * (the JavaScript SDK's default is 50 sockets): 200 functions putting hundreds of objects
 * each all at once would only queue inside the store.
 */
const STORE_REQUESTS_IN_FLIGHT = 16;

async function eachAtMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** About what a pointer takes in the state. */
const POINTER_BYTES = 80;
/** Strings at most this long stay in the state: a name or a label, what a Choice compares. */
const SHORT_STRING_BYTES = 1024;

/** What one side of an exchange (an invocation, or the client) did with the store: requests, bytes and the time they took. */
export interface StoreIo {
  /** Where its objects are: `${prefix}/0`, `${prefix}/1`, ... (set by its first offload). */
  prefix: string;
  puts: number;
  gets: number;
  putBytes: number;
  getBytes: number;
  writeUs: number[];
  readUs: number[];
  /** Σ bytes × write time (epoch ms) of the objects written: with putBytes, the byte-seconds they are kept until removed. */
  byteEpochMs: number;
}

export function newStoreIo(): StoreIo {
  return { prefix: '', puts: 0, gets: 0, putBytes: 0, getBytes: 0, writeUs: [], readUs: [], byteEpochMs: 0 };
}

/** The keys of every object `io` wrote: what its owner removes when the run is over. */
export function keysOf(io: Pick<StoreIo, 'prefix' | 'puts'>): string[] {
  return Array.from({ length: io.puts }, (_, i) => `${io.prefix}/${i}`);
}

interface Leaf {
  readonly parent: Record<string, unknown> | unknown[];
  readonly key: string | number;
  readonly sizeBytes: number;
}

/**
 * Moves `json`'s data to `store` under `prefix` until it fits `thresholdBytes` (0: all of
 * it): first its data leaves, largest first; then, if what is left (records, numbers,
 * pointers) is still too large (WHOLE_VALUES_*), whole items of its arrays, largest first:
 * the arrays and records around them stay, so a Map still iterates an array (of pointers)
 * and a path still finds its field; if that is not enough, the value itself. Changes `json`
 * in place (it must be the caller's own copy) and returns it, or the pointer that replaced it.
 */
export async function offload(json: unknown, store: ValueStore, prefix: string, thresholdBytes: number, io: StoreIo): Promise<unknown> {
  let sizeBytes = jsonBytes(json);
  if (sizeBytes <= thresholdBytes) return json;
  if (io.prefix !== '' && io.prefix !== prefix) throw new Error(`offload: this store io writes under ${io.prefix}, not ${prefix}`);
  io.prefix = prefix;
  const root = { value: json };
  const put = async (leaf: Leaf, whole: boolean): Promise<void> => {
    const value = get(leaf);
    // Bytes are stored as bytes (what the data is, and what storage bills); anything else as JSON.
    const bytes = !whole && typeof value === 'object';
    const body = bytes ? Buffer.from((value as Record<string, string>)[BYTES_TAG]!, 'base64') : Buffer.from(JSON.stringify(value));
    const key = `${prefix}/${io.puts++}`;
    const startNs = process.hrtime.bigint();
    await store.put(key, body);
    io.writeUs.push(Math.round(Number(process.hrtime.bigint() - startNs) / 1000));
    io.putBytes += body.length;
    io.byteEpochMs += body.length * Date.now();
    set(leaf, { [REF_TAG]: key, sizeBytes: body.length, ...(bytes ? { bytes: true } : {}), ...(whole ? { whole: true } : {}) });
  };
  /** Replaces the largest of `candidates` until the value fits; returns what is left to replace. */
  const replace = async (candidates: Leaf[], whole: boolean): Promise<void> => {
    const chosen: Leaf[] = [];
    for (const leaf of candidates.sort((x, y) => y.sizeBytes - x.sizeBytes)) {
      if (sizeBytes <= thresholdBytes) break;
      chosen.push(leaf);
      sizeBytes -= leaf.sizeBytes - POINTER_BYTES;
    }
    await eachAtMost(STORE_REQUESTS_IN_FLIGHT, chosen, (leaf) => put(leaf, whole));
    sizeBytes = jsonBytes(root.value); // the estimate made exact: pointers are a little larger or smaller than POINTER_BYTES
  };
  // Until it fits or nothing is left to move (an estimate can fall short by a few pointers).
  for (let left = leavesOf(root, isDataLeaf); sizeBytes > thresholdBytes && left.length > 0; left = leavesOf(root, isDataLeaf)) await replace(left, false);
  // Then whole array items, largest first, while the value is over its threshold (at least
  // 4 KiB) or its structure alone (all but its data leaves) is over 64 KiB.
  const floorBytes = Math.max(thresholdBytes, WHOLE_VALUES_OVER_BYTES);
  const structureBytes = () => sizeBytes - leavesOf(root, isDataLeaf).reduce((n, leaf) => n + leaf.sizeBytes, 0);
  const over = () => sizeBytes > floorBytes || structureBytes() > WHOLE_VALUES_UNDER_BYTES;
  for (let items = arrayItemsOf(root); over() && items.length > 0; items = arrayItemsOf(root)) {
    const target = sizeBytes > floorBytes ? floorBytes : sizeBytes - (structureBytes() - WHOLE_VALUES_UNDER_BYTES);
    thresholdBytes = Math.max(0, target);
    await replace(items, true);
  }
  // Last, a record with no arrays left to move (a mapper's output: a pointer per key) goes whole.
  if (sizeBytes > floorBytes && typeof root.value === 'object' && root.value !== null && !Array.isArray(root.value) && !isRef(root.value)) {
    thresholdBytes = floorBytes;
    await replace([{ parent: root, key: 'value', sizeBytes }], true);
  }
  return root.value;
}

/**
 * Replaces pointers in `json` by the values they point to (fetched in parallel; a whole
 * value fetched may hold pointers of its own, fetched in turn); changes `json` in place.
 * `wholeOnly`: only the whole values, not the data in them (Baton's own steps, which move
 * data about by its keys without reading it).
 */
export async function resolveRefs(json: unknown, store: ValueStore, io: StoreIo, options: { wholeOnly?: boolean } = {}): Promise<unknown> {
  const root = { value: json };
  const wanted = (value: unknown) => isRef(value) && (!options.wholeOnly || (value as { whole?: boolean }).whole === true);
  for (let refs = leavesOf(root, wanted); refs.length > 0; refs = leavesOf(root, wanted)) {
    await eachAtMost(STORE_REQUESTS_IN_FLIGHT, refs, async (ref) => {
      const pointer = get(ref) as { [REF_TAG]: string; bytes?: boolean };
      const key = pointer[REF_TAG];
      const startNs = process.hrtime.bigint();
      const body = await store.get(key);
      io.readUs.push(Math.round(Number(process.hrtime.bigint() - startNs) / 1000));
      io.gets++;
      io.getBytes += body.length;
      set(ref, pointer.bytes ? { [BYTES_TAG]: body.toString('base64') } : JSON.parse(body.toString('utf8')));
    });
  }
  return root.value;
}

export function isRef(value: unknown): value is { [REF_TAG]: string; sizeBytes: number } {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[REF_TAG] === 'string';
}

/** The items of every array in `root` (not inside pointers): what may go to the store whole, leaving the array for a Map to iterate. */
function arrayItemsOf(root: { value: unknown }): Leaf[] {
  const found: Leaf[] = [];
  const walk = (value: unknown): void => {
    if (isRef(value) || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++)
        if (!isRef(value[i]) && typeof value[i] === 'object' && value[i] !== null) found.push({ parent: value, key: i, sizeBytes: jsonBytes(value[i]) });
    }
    for (const item of Object.values(value)) walk(item);
  };
  walk(root.value);
  return found;
}

/** Every value under `root` that `matches` (not looking inside those), with where it is. */
function leavesOf(root: { value: unknown }, matches: (value: unknown) => boolean): Leaf[] {
  const found: Leaf[] = [];
  const walk = (parent: Record<string, unknown> | unknown[], key: string | number, value: unknown): void => {
    if (matches(value)) found.push({ parent, key, sizeBytes: jsonBytes(value) });
    else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) walk(value, i, value[i]);
    else if (typeof value === 'object' && value !== null) for (const [k, item] of Object.entries(value)) walk(value as Record<string, unknown>, k, item);
  };
  walk(root, 'value', root.value);
  return found;
}

function isDataLeaf(value: unknown): boolean {
  if (typeof value === 'string') return Buffer.byteLength(value) > SHORT_STRING_BYTES;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === BYTES_TAG;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
}

function get(leaf: Leaf): unknown {
  return (leaf.parent as Record<string | number, unknown>)[leaf.key];
}

function set(leaf: Leaf, value: unknown): void {
  (leaf.parent as Record<string | number, unknown>)[leaf.key] = value;
}
