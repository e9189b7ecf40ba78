/**
 * The values that flow between workflow functions: JSON, plus raw bytes.
 *
 * Bytes are first-class so that platforms with a zero-copy data path (the reference
 * runtime) can pass them by reference, while platforms with JSON payloads (Step
 * Functions, Durable Functions) encode them with `encodeValue`.
 */
export type Value =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | readonly Value[]
  | { readonly [key: string]: Value };

export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

export function isRecord(value: Value): value is { readonly [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isBytes(value);
}

const BYTES_TAG = '$bytes';

/** JSON encoding for platforms whose payloads are JSON: bytes become `{"$bytes": base64}`. */
export function encodeValue(value: Value): unknown {
  if (isBytes(value)) return { [BYTES_TAG]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return (value as Value[]).map(encodeValue);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = encodeValue(item);
    return out;
  }
  return value;
}

/** Inverse of `encodeValue`. */
export function decodeValue(json: unknown): Value {
  if (Array.isArray(json)) return json.map(decodeValue);
  if (typeof json === 'object' && json !== null) {
    const record = json as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === BYTES_TAG && typeof record[BYTES_TAG] === 'string') {
      return new Uint8Array(Buffer.from(record[BYTES_TAG], 'base64'));
    }
    const out: Record<string, Value> = {};
    for (const key of keys) out[key] = decodeValue(record[key]);
    return out;
  }
  return json as Value;
}
