/**
 * Sort records in the gensort layout (the Sort Benchmark's generator, used by
 * Pheromone's MapReduce sort): 100 bytes per record, a 10-byte random key, then
 * 0x00 0x11, the row number as 32 ASCII hex digits, 0x88 0x99 0xAA 0xBB, 48 bytes of
 * filler (the row's hex digits repeated) and 0xCC 0xDD 0xEE 0xFF.
 */
export const RECORD_BYTES = 100;
export const KEY_BYTES = 10;

/** `count` records starting at row `firstRow`, keys from a seeded xorshift generator. */
export function generateRecords(firstRow: number, count: number, seed: number): Uint8Array {
  const out = new Uint8Array(count * RECORD_BYTES);
  let state = (seed ^ Math.imul(firstRow + 1, 0x9e3779b1)) >>> 0 || 1;
  for (let r = 0; r < count; r++) {
    const at = r * RECORD_BYTES;
    for (let k = 0; k < KEY_BYTES; k++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      out[at + k] = state & 0xff;
    }
    out[at + 10] = 0x00;
    out[at + 11] = 0x11;
    const hex = (firstRow + r).toString(16).toUpperCase().padStart(32, '0');
    for (let i = 0; i < 32; i++) out[at + 12 + i] = hex.charCodeAt(i);
    out.set([0x88, 0x99, 0xaa, 0xbb], at + 44);
    for (let i = 0; i < 48; i++) out[at + 48 + i] = hex.charCodeAt(i % 32);
    out.set([0xcc, 0xdd, 0xee, 0xff], at + 96);
  }
  return out;
}

/** Which of `partitions` key ranges a record falls in (range partitioning on the first two key bytes). */
export function partitionOf(records: Uint8Array, at: number, partitions: number): number {
  return Math.floor((((records[at]! << 8) | records[at + 1]!) * partitions) / 65536);
}

/** Records sorted by key (ties keep their order). */
export function sortRecords(records: Uint8Array): Uint8Array {
  const count = records.length / RECORD_BYTES;
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => compareKeys(records, a * RECORD_BYTES, records, b * RECORD_BYTES) || a - b);
  const out = new Uint8Array(records.length);
  order.forEach((from, to) => {
    out.set(records.subarray(from * RECORD_BYTES, (from + 1) * RECORD_BYTES), to * RECORD_BYTES);
  });
  return out;
}

export function compareKeys(a: Uint8Array, atA: number, b: Uint8Array, atB: number): number {
  for (let k = 0; k < KEY_BYTES; k++) {
    const d = a[atA + k]! - b[atB + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** An order-dependent digest of a byte sequence (FNV-1a, 32 bits): equal only for the same records in the same order. */
export function digest(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

export function hexKey(records: Uint8Array, at: number): string {
  return Buffer.from(records.subarray(at, at + KEY_BYTES)).toString('hex');
}
