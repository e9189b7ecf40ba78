/**
 * Large values through a store, a pointer in the state: the pattern AWS documents for Step
 * Functions payloads over 256 KB ("use Amazon S3 ARNs instead of passing large payloads"),
 * and the one Redis (ElastiCache) users follow with a key.
 *
 * What goes to the store are a value's leaves that carry data: bytes (`{ $bytes }`) and
 * strings over 1 KB, largest first, until the rest fits `thresholdBytes`. Arrays, records,
 * numbers and short strings stay in the state, so a Map state can still iterate a
 * function's output and a Choice state still reads the fields it compares.
 */
import { randomUUID } from 'node:crypto';
import { BYTES_TAG } from '../../harness/model/index.ts';
import type { ValueStore } from './value-store.ts';

/** The pointer that replaces a leaf: `{ "$baton.ref": key, "sizeBytes": n, "bytes"?: true }`. */
export const REF_TAG = '$baton.ref';
/** Strings at most this long stay in the state: a name or a label, what a Choice compares. */
const SHORT_STRING_BYTES = 1024;

/** What one side of an exchange did with the store: requests, bytes and the time they took. */
export interface StoreIo {
  puts: number;
  gets: number;
  putBytes: number;
  getBytes: number;
  writeUs: number[];
  readUs: number[];
  /** Each object written: its key (removed when the run is over), size and when (epoch ms), for what storage is billed by the time it is kept. */
  written: { key: string; sizeBytes: number; atEpochMs: number }[];
}

export function newStoreIo(): StoreIo {
  return { puts: 0, gets: 0, putBytes: 0, getBytes: 0, writeUs: [], readUs: [], written: [] };
}

interface Leaf {
  readonly parent: Record<string, unknown> | unknown[];
  readonly key: string | number;
  readonly sizeBytes: number;
}

/**
 * Moves `json`'s data leaves to `store` under `prefix` until it fits `thresholdBytes`
 * (0: every data leaf). Changes `json` in place (it must be the caller's own copy) and
 * returns it, or the pointer that replaced it when it is itself a leaf.
 */
export async function offload(json: unknown, store: ValueStore, prefix: string, thresholdBytes: number, io: StoreIo): Promise<unknown> {
  let sizeBytes = jsonBytes(json);
  if (sizeBytes <= thresholdBytes) return json;
  const root = { value: json };
  const leaves = leavesOf(root, isDataLeaf);
  leaves.sort((a, b) => b.sizeBytes - a.sizeBytes);
  const chosen: Leaf[] = [];
  for (const leaf of leaves) {
    if (sizeBytes <= thresholdBytes) break;
    chosen.push(leaf);
    sizeBytes -= leaf.sizeBytes - 80; // a pointer's size, about
  }
  await Promise.all(
    chosen.map(async (leaf) => {
      const value = get(leaf);
      // Bytes are stored as bytes (what the data is, and what storage bills); anything else as JSON.
      const bytes = typeof value === 'object';
      const body = bytes ? Buffer.from((value as Record<string, string>)[BYTES_TAG]!, 'base64') : Buffer.from(JSON.stringify(value));
      const key = `${prefix}/${randomUUID()}`;
      const startNs = process.hrtime.bigint();
      await store.put(key, body);
      io.writeUs.push(Number(process.hrtime.bigint() - startNs) / 1000);
      io.puts++;
      io.putBytes += body.length;
      io.written.push({ key, sizeBytes: body.length, atEpochMs: Date.now() });
      set(leaf, { [REF_TAG]: key, sizeBytes: body.length, ...(bytes ? { bytes: true } : {}) });
    }),
  );
  return root.value;
}

/** Replaces every pointer in `json` by the value it points to (fetched in parallel); changes `json` in place. */
export async function resolveRefs(json: unknown, store: ValueStore, io: StoreIo): Promise<unknown> {
  const root = { value: json };
  const refs = leavesOf(root, isRef);
  await Promise.all(
    refs.map(async (ref) => {
      const pointer = get(ref) as { [REF_TAG]: string; bytes?: boolean };
      const key = pointer[REF_TAG];
      const startNs = process.hrtime.bigint();
      const body = await store.get(key);
      io.readUs.push(Number(process.hrtime.bigint() - startNs) / 1000);
      io.gets++;
      io.getBytes += body.length;
      set(ref, pointer.bytes ? { [BYTES_TAG]: body.toString('base64') } : JSON.parse(body.toString('utf8')));
    }),
  );
  return root.value;
}

export function isRef(value: unknown): value is { [REF_TAG]: string; sizeBytes: number } {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[REF_TAG] === 'string';
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
