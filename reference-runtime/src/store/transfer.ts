/**
 * Values as the scheduler holds them and as they cross threads: every byte array
 * becomes a handle `{ $arena: [offset, sizeBytes] }` into the node's arena. Messages
 * stay a few bytes long whatever the payload; the receiving thread turns handles back
 * into views of the same memory.
 */
import type { RuntimeValue } from '../value.ts';
import type { Arena } from './arena.ts';

export interface Handle {
  readonly $arena: readonly [offset: number, sizeBytes: number];
}

export function isHandle(value: unknown): value is Handle {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const arena = (value as { $arena?: unknown }).$arena;
  return Array.isArray(arena) && arena.length === 2 && Object.keys(value).length === 1;
}

/** Replaces byte arrays by handles; bytes not already in the arena are copied into memory from `allocate`. */
export function encodeValue(value: RuntimeValue, arena: Arena, allocate: (sizeBytes: number) => number): { value: RuntimeValue; copiedBytes: number } {
  let copiedBytes = 0;
  const walk = (v: RuntimeValue): RuntimeValue => {
    if (v instanceof Uint8Array) {
      if (v.byteLength === 0) return { $arena: [-1, 0] };
      if (v.buffer === arena.buffers.data) return { $arena: [v.byteOffset, v.byteLength] };
      const offset = allocate(v.byteLength);
      arena.view(offset, v.byteLength).set(v);
      copiedBytes += v.byteLength;
      return { $arena: [offset, v.byteLength] };
    }
    if (Array.isArray(v)) return (v as RuntimeValue[]).map(walk);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, RuntimeValue> = {};
      for (const [key, item] of Object.entries(v)) out[key] = walk(item as RuntimeValue);
      return out;
    }
    return v;
  };
  return { value: walk(value), copiedBytes };
}

/** Turns handles into views of the arena (no copy), or, with `copy`, into fresh arrays. */
export function decodeValue(value: RuntimeValue, arena: Arena, copy = false): RuntimeValue {
  const walk = (v: RuntimeValue): RuntimeValue => {
    if (isHandle(v)) {
      const [offset, sizeBytes] = v.$arena;
      if (sizeBytes === 0) return new Uint8Array(0);
      const view = arena.view(offset, sizeBytes);
      return copy ? Uint8Array.from(view) : view;
    }
    if (Array.isArray(v)) return (v as RuntimeValue[]).map(walk);
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) {
      const out: Record<string, RuntimeValue> = {};
      for (const [key, item] of Object.entries(v)) out[key] = walk(item as RuntimeValue);
      return out;
    }
    return v;
  };
  return walk(value);
}

/** The arena allocations (first blocks) an encoded value refers to, each once. */
export function allocationsOf(value: RuntimeValue, arena: Arena): number[] {
  const blocks = new Set<number>();
  const walk = (v: RuntimeValue): void => {
    if (isHandle(v)) {
      if (v.$arena[1] > 0) blocks.add(arena.runStartOf(v.$arena[0]));
    } else if (Array.isArray(v)) {
      for (const item of v as RuntimeValue[]) walk(item);
    } else if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) {
      for (const item of Object.values(v)) walk(item as RuntimeValue);
    }
  };
  walk(value);
  return [...blocks];
}

/** Payload size of an encoded value: handle sizes plus a rough JSON size of the rest. */
export function encodedSizeBytes(value: RuntimeValue): number {
  if (isHandle(value)) return value.$arena[1];
  if (Array.isArray(value)) return (value as RuntimeValue[]).reduce<number>((sum, v) => sum + encodedSizeBytes(v) + 1, 2);
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    let sizeBytes = 2;
    for (const [key, item] of Object.entries(value)) sizeBytes += key.length + 4 + encodedSizeBytes(item as RuntimeValue);
    return sizeBytes;
  }
  return typeof value === 'string' ? value.length + 2 : String(value).length;
}
