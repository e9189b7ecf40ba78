/**
 * Values that functions exchange: JSON plus bytes. Bytes that live in shared memory
 * (a `SharedArrayBuffer`) move between executor threads by reference; the runtime
 * never copies them.
 */
export type RuntimeValue =
  | null | boolean | number | string | Uint8Array
  | readonly RuntimeValue[]
  | { readonly [key: string]: RuntimeValue };

/** Bytes in shared memory: what consumers on this node read without a copy. */
export function allocShared(sizeBytes: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(sizeBytes));
}

export function isShared(bytes: Uint8Array): boolean {
  return bytes.buffer instanceof SharedArrayBuffer;
}

/**
 * The same value with every byte array moved into shared memory. Arrays already shared
 * are kept as they are; others are copied once, and the copied size is reported so the
 * trace can show it.
 */
export function toShared(value: RuntimeValue): { value: RuntimeValue; copiedBytes: number } {
  let copiedBytes = 0;
  const walk = (v: RuntimeValue): RuntimeValue => {
    if (v instanceof Uint8Array) {
      if (isShared(v)) return v;
      copiedBytes += v.byteLength;
      const shared = allocShared(v.byteLength);
      shared.set(v);
      return shared;
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

/** Byte payloads plus a rough JSON size of the rest; for traces, not for billing. */
export function sizeBytesOf(value: RuntimeValue): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return (value as RuntimeValue[]).reduce<number>((sum, v) => sum + sizeBytesOf(v) + 1, 2);
  if (typeof value === 'object' && value !== null) {
    let sizeBytes = 2;
    for (const [key, item] of Object.entries(value)) sizeBytes += key.length + 4 + sizeBytesOf(item as RuntimeValue);
    return sizeBytes;
  }
  return typeof value === 'string' ? value.length + 2 : String(value).length;
}
