/**
 * The values that flow between workflow functions: JSON, plus raw bytes.
 *
 * Bytes are first-class so that platforms with a zero-copy data path (the reference
 * runtime) can pass them by reference, while platforms with JSON payloads (Step
 * Functions, Durable Functions) encode them with `encodeValue`.
 */
export type Value = null | boolean | number | string | Uint8Array | readonly Value[] | { readonly [key: string]: Value };

export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

export function isRecord(value: Value): value is { readonly [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isBytes(value);
}

export const BYTES_TAG = '$bytes';

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

/**
 * The size of `JSON.stringify(json)` in UTF-8 bytes, without building the text: payloads
 * of megabytes would be serialized again just to be measured, between a function's end
 * and its output leaving. Escapes inside strings are not counted (base64 has none).
 */
export function jsonSizeBytes(json: unknown): number {
  if (typeof json === 'string') return Buffer.byteLength(json) + 2;
  if (Array.isArray(json)) return json.reduce((sum: number, item) => sum + jsonSizeBytes(item ?? null), 1 + Math.max(1, json.length));
  if (typeof json === 'object' && json !== null) {
    const entries = Object.entries(json).filter(([, v]) => v !== undefined);
    return entries.reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + 3 + jsonSizeBytes(v), 1 + Math.max(1, entries.length));
  }
  return String(json).length;
}

/** The size of a value as it would travel with bytes kept raw: bytes count their length, the rest as JSON. */
export function valueSizeBytes(value: Value): number {
  if (isBytes(value)) return value.byteLength;
  if (Array.isArray(value)) return (value as Value[]).reduce((sum: number, item) => sum + valueSizeBytes(item), 1 + Math.max(1, value.length));
  if (isRecord(value)) {
    const entries = Object.entries(value);
    return entries.reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + 3 + valueSizeBytes(v), 1 + Math.max(1, entries.length));
  }
  return jsonSizeBytes(value);
}
