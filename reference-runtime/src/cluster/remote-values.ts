/**
 * Values that cross node processes. On the wire a byte array is either inline
 * (`{ $inline: bytes }`, for small objects: the owner sends them along) or a remote
 * handle (`{ $arena: [offset, size], $node: owner }`, fetched by the consumer's node
 * straight from the owner when a function there needs it).
 */
import type { RuntimeValue } from '../value.ts';
import { COMMITTED, type Arena } from '../store/arena.ts';
import { isHandle } from '../store/transfer.ts';

export interface RemoteHandle {
  readonly $arena: readonly [number, number];
  readonly $node: string;
}

/** Objects up to this size travel with the message that announces them. */
export const INLINE_BYTES = 64 * 1024;

export function isRemoteHandle(value: unknown): value is RemoteHandle {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    Array.isArray((value as { $arena?: unknown }).$arena) &&
    typeof (value as { $node?: unknown }).$node === 'string' &&
    Object.keys(value).length === 2
  );
}

function isInline(value: unknown): value is { $inline: Uint8Array } {
  return typeof value === 'object' && value !== null && (value as { $inline?: unknown }).$inline instanceof Uint8Array && Object.keys(value).length === 1;
}

/** Maps leaves (handles, inline bytes) and keeps the structure; `leaf` returns undefined to descend. */
function mapLeaves(value: RuntimeValue, leaf: (v: RuntimeValue) => RuntimeValue | undefined): RuntimeValue {
  const mapped = leaf(value);
  if (mapped !== undefined) return mapped;
  if (Array.isArray(value)) return (value as RuntimeValue[]).map((v) => mapLeaves(v, leaf));
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLeaves(v as RuntimeValue, leaf)]));
  }
  return value;
}

/** For a message to another node: small local objects inline, large ones as handles naming this node. */
export function toWire(value: RuntimeValue, self: string, arena: Arena): RuntimeValue {
  return mapLeaves(value, (v): RuntimeValue | undefined => {
    if (!isHandle(v)) return undefined;
    const [offset, sizeBytes] = v.$arena;
    if (sizeBytes <= INLINE_BYTES) return { $inline: sizeBytes === 0 ? new Uint8Array(0) : Uint8Array.from(arena.view(offset, sizeBytes)) };
    return { $arena: [offset, sizeBytes], $node: self };
  });
}

/** From a message: inline bytes move into this node's store, handles naming this node become local. */
export function fromWire(value: RuntimeValue, self: string, arena: Arena): { value: RuntimeValue; blocks: number[] } {
  const blocks: number[] = [];
  const local = mapLeaves(value, (v) => {
    if (isInline(v)) {
      if (v.$inline.byteLength === 0) return { $arena: [-1, 0] };
      const offset = arena.alloc(v.$inline.byteLength, COMMITTED, 0);
      arena.view(offset, v.$inline.byteLength).set(v.$inline);
      blocks.push(arena.runStartOf(offset));
      return { $arena: [offset, v.$inline.byteLength] };
    }
    if (isRemoteHandle(v) && v.$node === self) return { $arena: [v.$arena[0], v.$arena[1]] };
    return undefined;
  });
  return { value: local, blocks };
}

export function remoteHandlesOf(value: RuntimeValue): RemoteHandle[] {
  const found: RemoteHandle[] = [];
  mapLeaves(value, (v) => {
    if (isRemoteHandle(v)) {
      found.push(v);
      return v;
    }
    return isHandle(v) ? v : undefined;
  });
  return found;
}

/** Input bytes per node: what placement weighs. */
export function bytesByNode(value: RuntimeValue, self: string): Map<string, number> {
  const bytes = new Map<string, number>();
  mapLeaves(value, (v) => {
    if (isRemoteHandle(v)) bytes.set(v.$node, (bytes.get(v.$node) ?? 0) + v.$arena[1]);
    else if (isHandle(v)) bytes.set(self, (bytes.get(self) ?? 0) + v.$arena[1]);
    else return undefined;
    return v;
  });
  return bytes;
}

/** Replaces remote handles by local copies, using `fetch` to get each one's bytes from its owner. */
export async function localize(
  value: RuntimeValue,
  arena: Arena,
  fetch: (handle: RemoteHandle) => Promise<Uint8Array>,
): Promise<{ value: RuntimeValue; blocks: number[] }> {
  const handles = remoteHandlesOf(value);
  if (handles.length === 0) return { value, blocks: [] };
  const fetched = new Map<RemoteHandle, Uint8Array>();
  await Promise.all(handles.map(async (h) => fetched.set(h, await fetch(h))));
  const blocks: number[] = [];
  const local = mapLeaves(value, (v) => {
    if (!isRemoteHandle(v)) return isHandle(v) ? v : undefined;
    const bytes = fetched.get(v)!;
    const offset = arena.alloc(bytes.byteLength, COMMITTED, 0);
    arena.view(offset, bytes.byteLength).set(bytes);
    blocks.push(arena.runStartOf(offset));
    return { $arena: [offset, bytes.byteLength] };
  });
  return { value: local, blocks };
}
