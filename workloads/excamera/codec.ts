/**
 * A small lossless video codec in TypeScript, with the structure ExCamera relies on:
 * an intra frame ('I') is the frame deflated; an inter frame ('P') is the deflated
 * difference from a reference frame (the previous decoded frame), so decoding a P frame
 * needs the decoder state the previous frames left. Frames are 8-bit grayscale.
 */
import { deflateSync, inflateSync } from 'fflate';

const INTRA = 0x49; // 'I'
const INTER = 0x50; // 'P'

export function encodeFrame(frame: Uint8Array, reference?: Uint8Array): Uint8Array {
  let body = frame;
  if (reference) {
    if (reference.length !== frame.length) throw new Error(`codec: reference has ${reference.length} bytes, frame ${frame.length}`);
    body = new Uint8Array(frame.length);
    for (let i = 0; i < frame.length; i++) body[i] = (frame[i]! - reference[i]!) & 0xff;
  }
  const packed = deflateSync(body, { level: 6 });
  const out = new Uint8Array(packed.length + 1);
  out[0] = reference ? INTER : INTRA;
  out.set(packed, 1);
  return out;
}

export function isIntra(chunk: Uint8Array): boolean {
  return chunk[0] === INTRA;
}

/** Decodes one frame; a P frame needs the previous decoded frame. */
export function decodeFrame(chunk: Uint8Array, reference?: Uint8Array): Uint8Array {
  const body = inflateSync(chunk.subarray(1));
  if (chunk[0] === INTRA) return body;
  if (chunk[0] !== INTER) throw new Error(`codec: unknown frame type ${chunk[0]}`);
  if (!reference) throw new Error('codec: an inter frame needs the previous frame (decoder state)');
  const frame = new Uint8Array(body.length);
  for (let i = 0; i < body.length; i++) frame[i] = (body[i]! + reference[i]!) & 0xff;
  return frame;
}

/** Decodes a stream of chunks from scratch; the first must be an intra frame. */
export function decodeStream(chunks: readonly Uint8Array[], reference?: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let state = reference;
  for (const chunk of chunks) {
    state = decodeFrame(chunk, state);
    frames.push(state);
  }
  return frames;
}

/**
 * Frame `index` of a generated clip: a drifting gradient, a moving square and seeded
 * grain, so that consecutive frames are alike (inter frames pay off) but not equal.
 */
export function generateFrame(seed: number, index: number, width: number, height: number): Uint8Array {
  const frame = new Uint8Array(width * height);
  let state = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0 || 1;
  const square = { x: (index * 3) % width, y: (index * 2) % height, size: Math.max(4, Math.floor(Math.min(width, height) / 5)) };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const inSquare = x >= square.x && x < square.x + square.size && y >= square.y && y < square.y + square.size;
      frame[y * width + x] = ((inSquare ? 220 : (x + 2 * y + index) & 0x7f) + (state & 3)) & 0xff;
    }
  }
  return frame;
}
