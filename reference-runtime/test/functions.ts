/** Functions for the runtime's own tests; they use nothing from Baton's harness. */
type V = unknown;
interface Ctx {
  alloc(sizeBytes: number): Uint8Array;
  attempt: number;
  storage?: {
    put(key: string, body: Uint8Array): Promise<void>;
    get(key: string): Promise<Uint8Array>;
    list(prefix: string): Promise<string[]>;
  };
  nosql?: {
    put(table: string, key: { partition: string; sort: string }, item: Record<string, string | number | boolean>): Promise<void>;
    query(table: string, partition: string): Promise<{ sort: string; item: Record<string, string | number | boolean> }[]>;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const functions: Record<string, (input: V, ctx: Ctx) => V> = {
  /** Spins for `input` ms of CPU, then returns it. */
  spin: (input) => {
    const until = process.hrtime.bigint() + BigInt((input as number) * 1e6);
    while (process.hrtime.bigint() < until) {
      /* compute */
    }
    return input;
  },
  /** Writes its number as an object and an item of the app's durable store; passes on only the key. */
  remember: async (input, ctx) => {
    const n = input as number;
    const key = `made/${String(n).padStart(3, '0')}`;
    await ctx.storage!.put(key, new TextEncoder().encode(`value ${n}`));
    await ctx.nosql!.put('numbers', { partition: 'all', sort: key.slice(5) }, { n, square: n * n });
    return key;
  },
  /** Reads back everything the `remember` calls wrote: by listing, and by one query. */
  recall: async (_input, ctx) => {
    const keys = await ctx.storage!.list('made/');
    const bodies = await Promise.all(keys.map(async (k) => new TextDecoder().decode(await ctx.storage!.get(k))));
    const items = await ctx.nosql!.query('numbers', 'all');
    return { keys, bodies, squares: items.map((i) => i.item['square']) };
  },
  /** Uses storage as a function should not: a key that climbs out of its folder. */
  escape: async (_input, ctx) => {
    if (!ctx.storage) throw new Error('this app has no durable store');
    await ctx.storage.put('../outside', new Uint8Array(1));
    return 'wrote';
  },
  /** Fresh bytes in the store, filled with `fill`. */
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
  /** Reads its input bytes; returns their sum, holding them for `holdMs` first. */
  consume: async (input) => {
    const { bytes, holdMs } = input as { bytes: Uint8Array; holdMs: number };
    await sleep(holdMs);
    return bytes.reduce((a, b) => a + b, 0);
  },
  /** `{ bytes, holdMs }` from a record gather: reads the bytes after holding them. */
  consumeRecord: async (input) => {
    const { unused, holdMs } = input as { unused: { bytes: Uint8Array }; holdMs: number };
    await sleep(holdMs);
    return unused.bytes.reduce((a, b) => a + b, 0);
  },
  /** Returns plain (non-shared) bytes, which the runtime must copy into the store. */
  plainBytes: (input) => new Uint8Array(input as number).fill(7),
  add1: (input) => (input as number) + 1,
  square: (input) => (input as number) ** 2,
  sum: (input) => (input as number[]).reduce((a, b) => a + b, 0),
  identity: (input) => input,
  /** Waits `ms` then returns it: a straggler when ms is large. */
  delay: async (input) => {
    await sleep(input as number);
    return input;
  },
  /** Waits `ms`, then returns the event `{ v: ms }`. */
  delayEvent: async (input) => {
    await sleep(input as number);
    return { v: input };
  },
  /** Shuffle mapper: groups numbers by remainder mod 3. */
  byRemainder: (input) => {
    const out: Record<string, number[]> = {};
    for (const n of input as number[]) (out[String(n % 3)] ??= []).push(n);
    return out;
  },
  /** Shuffle reducer. */
  countGroup: (input) => {
    const { key, values } = input as { key: string; values: number[][] };
    return { key, count: values.flat().length };
  },
  /** Window function: the events' values summed. */
  windowTotal: (input) => {
    const { index, startMs, events } = input as { index: number; startMs?: number; events: { v: number }[] };
    return { index, startMs: startMs ?? null, total: events.reduce((t, e) => t + e.v, 0), count: events.length };
  },
  foldAdd: (input) => {
    const { state, item, index } = input as { state: number; item: number; index: number };
    return state + item * (index + 1);
  },
  boom: () => {
    throw new Error('boom');
  },
  exitThread: () => process.exit(3),
  /** Kills its executor thread on the first attempt only (the flag lives in shared memory). */
  crashOnce: (input, ctx) => {
    const flag = new Int32Array((input as Uint8Array).buffer, (input as Uint8Array).byteOffset, 1);
    if (Atomics.compareExchange(flag, 0, 0, 1) === 0) process.exit(4);
    return { attempt: ctx.attempt };
  },
};
