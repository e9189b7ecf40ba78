/**
 * Byte payloads that functions really produce and consume: seeded generation, a
 * per-byte transform, and a checksum, all word-at-a-time so that a 64 MB payload
 * costs tens of milliseconds, not seconds.
 */

/** Deterministic pseudo-random bytes (xorshift32), written into `out`; the same bytes at any alignment. */
export function fillSeeded(out: Uint8Array, seed: number): Uint8Array {
  if (out.byteOffset % 4 !== 0) {
    out.set(fillSeeded(new Uint8Array(out.length), seed));
    return out;
  }
  let state = seed >>> 0 || 0x9e3779b9;
  const words = wordView(out);
  for (let i = 0; i < words.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[i] = state >>> 0;
  }
  for (let i = words.length * 4; i < out.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

export function seededBytes(sizeBytes: number, seed: number): Uint8Array {
  return fillSeeded(new Uint8Array(sizeBytes), seed);
}

/** out[i] = (input[i] + 1) mod 256, eight bits at a time within 32-bit words. */
export function addOne(input: Uint8Array, out: Uint8Array): Uint8Array {
  if (out.length !== input.length) throw new Error(`addOne: output has ${out.length} bytes, input ${input.length}`);
  const src = wordView(input);
  const dst = wordView(out);
  if (src.length === dst.length) {
    for (let i = 0; i < src.length; i++) {
      const w = src[i]!;
      dst[i] = (((w & 0x7f7f7f7f) + 0x01010101) ^ (w & 0x80808080)) >>> 0;
    }
  }
  for (let i = src.length === dst.length ? src.length * 4 : 0; i < input.length; i++) out[i] = (input[i]! + 1) & 0xff;
  return out;
}

/** A 32-bit checksum of the bytes (order-sensitive), the same at any alignment. */
export function checksum(bytes: Uint8Array): number {
  if (bytes.byteOffset % 4 !== 0) return checksum(bytes.slice());
  let h = 0x811c9dc5 ^ bytes.length;
  const words = wordView(bytes);
  for (let i = 0; i < words.length; i++) h = (Math.imul(h, 0x01000193) ^ words[i]!) >>> 0;
  for (let i = words.length * 4; i < bytes.length; i++) h = (Math.imul(h, 0x01000193) ^ bytes[i]!) >>> 0;
  return h >>> 0;
}

/**
 * The 32-bit words of a byte array, when it is 4-byte aligned; else an empty view (the
 * callers then work byte by byte, or copy to an aligned array where the result depends on it).
 */
function wordView(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 !== 0) return new Uint32Array(0);
  return new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
}
