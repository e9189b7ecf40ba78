/** Functions for the runtime's own tests; they use nothing from Baton's harness. */
type V = unknown;
interface Ctx { alloc(sizeBytes: number): Uint8Array }

export const functions: Record<string, (input: V, ctx: Ctx) => V> = {
  /** Fresh bytes in shared memory, filled with `fill`. */
  produce: (input, ctx) => {
    const { sizeBytes, fill } = input as { sizeBytes: number; fill: number };
    return ctx.alloc(sizeBytes).fill(fill);
  },
  /** Writes a sentinel into its input (only to prove it aliases the producer's bytes) and reports what it saw. */
  scribble: (input) => {
    const bytes = input as Uint8Array;
    const seen = { first: bytes[0], shared: bytes.buffer instanceof SharedArrayBuffer, sizeBytes: bytes.byteLength };
    bytes[0] = 0xee;
    return seen;
  },
  /** Returns plain (non-shared) bytes, which the runtime must copy into shared memory. */
  plainBytes: (input) => new Uint8Array(input as number).fill(7),
  add1: (input) => (input as number) + 1,
  square: (input) => (input as number) ** 2,
  sum: (input) => (input as number[]).reduce((a, b) => a + b, 0),
  boom: () => {
    throw new Error('boom');
  },
  exitThread: () => process.exit(3),
};
