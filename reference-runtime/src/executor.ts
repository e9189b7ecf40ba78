/**
 * An executor thread: loads functions modules on first use, runs one function at a
 * time, and times the user code from inside the thread. Inputs arrive as arena
 * handles and are read as views (no copy); outputs allocated with `ctx.alloc` are
 * already in the arena, anything else is copied in once.
 */
import { receiveMessageOnPort, threadId, workerData } from 'node:worker_threads';
import { FileStore } from './durable/file-store.ts';
import { functionStorage, newStorageIo, storageIoUsed } from './durable/function-storage.ts';
import type { CallMessage, ExecutorData, ReplyMessage } from './protocol.ts';
import { Arena } from './store/arena.ts';
import { decodeValue, encodeValue } from './store/transfer.ts';
import type { RuntimeValue } from './value.ts';

type RuntimeFunction = (input: RuntimeValue, ctx: unknown) => RuntimeValue | Promise<RuntimeValue>;

const data = workerData as ExecutorData;
const arena = new Arena(data.arena);
const modules = new Map<string, Readonly<Record<string, RuntimeFunction>>>();
const port = data.port;

/** What the current call has allocated, so the node can adopt or free it without scanning the arena. */
let allocated: number[] = [];

/** Calls received but not started: handed back to the node if this thread must wait for memory. */
const queue: (CallMessage & { receivedNs: bigint })[] = [];

/** Tells the node this thread is about to wait for memory, and hands back the calls it has not started. */
const handBack = (): void => {
  flush();
  port.postMessage({ type: 'blocked', callIds: queue.splice(0).map((c) => c.callId) });
};

const allocate = (sizeBytes: number): number => {
  const offset = arena.alloc(sizeBytes, data.owner, data.allocWaitMs, handBack);
  allocated.push(offset / arena.blockBytes);
  return offset;
};

const alloc = (sizeBytes: number): Uint8Array => (sizeBytes === 0 ? new Uint8Array(0) : arena.view(allocate(sizeBytes), sizeBytes));

async function load(url: string): Promise<{ functions: Readonly<Record<string, RuntimeFunction>>; cold: boolean }> {
  const cached = modules.get(url);
  if (cached) return { functions: cached, cold: false };
  const mod = (await import(url)) as { functions?: Record<string, RuntimeFunction> };
  if (!mod.functions) throw new Error(`${url} does not export 'functions'`);
  modules.set(url, mod.functions);
  return { functions: mod.functions, cold: true };
}

/**
 * A testing knob for regression gates (`BATON_REFERENCE_SLOWDOWN_PCT`): after each
 * function, the executor spins for this percent of the function's run time, as a
 * runtime that got that much slower would. Unset (0) in every normal run.
 */
const SLOWDOWN_PCT = Number(process.env['BATON_REFERENCE_SLOWDOWN_PCT'] ?? 0) || 0;

function spin(ns: bigint): void {
  const until = process.hrtime.bigint() + ns;
  while (process.hrtime.bigint() < until) {
    /* busy: the slowdown costs CPU, as real slowness would */
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** The wait that makes the call's compute take what it would at `share` of a CPU: the thread is off the CPU meanwhile. */
function holdToShare(startNs: bigint, storageUs: number, share: number): void {
  const computeMs = Math.max(0, Number(process.hrtime.bigint() - startNs) / 1e6 - storageUs / 1000);
  const waitMs = computeMs * (1 / share - 1);
  if (waitMs > 0) Atomics.wait(sleeper, 0, 0, waitMs);
}

/** Durable stores by directory: one client per app, opened on the app's first call here. */
const durableStores = new Map<string, FileStore>();
const durableStore = (dir: string): FileStore => {
  let store = durableStores.get(dir);
  if (!store) durableStores.set(dir, (store = new FileStore(dir)));
  return store;
};

/** Runs one call and replies; calls of a batch run one after another, in order. */
async function run(call: CallMessage & { receivedNs: bigint }): Promise<void> {
  let cold = false;
  allocated = [];
  let startNs = process.hrtime.bigint();
  let reply: ReplyMessage;
  const io = newStorageIo();
  try {
    const loaded = await load(call.functionsUrl);
    cold = loaded.cold;
    const fn = loaded.functions[call.fn];
    if (!fn) throw new Error(`function '${call.fn}' is not exported by ${call.functionsUrl}`);
    const ctx = {
      invocationId: call.invocationId,
      attempt: call.attempt,
      log: (message: string) => console.error(`[${call.fn} ${call.invocationId}] ${message}`),
      now: () => process.hrtime.bigint(),
      alloc,
      ...(call.durableDir ? functionStorage(durableStore(call.durableDir), io) : {}),
    };
    const input = decodeValue(call.input, arena);
    startNs = process.hrtime.bigint();
    const output = await fn(input, ctx);
    if (call.cpuShare !== undefined) holdToShare(startNs, io.us, call.cpuShare);
    const endNs = process.hrtime.bigint();
    if (SLOWDOWN_PCT > 0) spin(((endNs - startNs) * BigInt(Math.round(SLOWDOWN_PCT * 100))) / 10_000n);
    const encoded = encodeValue(output, arena, allocate);
    reply = {
      type: 'done',
      callId: call.callId,
      output: encoded.value,
      startNs,
      endNs,
      cold,
      copiedBytes: encoded.copiedBytes,
      allocated,
      receivedNs: call.receivedNs,
      repliedNs: process.hrtime.bigint(),
      ...(storageIoUsed(io) ? { storage: io } : {}),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const endNs = process.hrtime.bigint();
    const errorName = error instanceof Error && error.name ? error.name : 'Error';
    reply = { type: 'failed', callId: call.callId, message, errorName, startNs, endNs, cold, allocated, receivedNs: call.receivedNs, repliedNs: endNs };
  }
  outbox.push(reply);
  // Replies of a batch go back together while more of the batch waits, in one message (at
  // most 16, the largest batch): a fan-out's replies cost the node one wake-up per batch,
  // not per call. The last call of a batch replies at once.
  if (queue.length === 0 || outbox.length >= 16) flush();
}

const outbox: ReplyMessage[] = [];
function flush(): void {
  if (outbox.length === 0) return;
  port.postMessage(outbox.splice(0));
}

const SPIN_NS = BigInt(Math.round(data.spinUs * 1000));

const accept = (calls: CallMessage[]): void => {
  const receivedNs = process.hrtime.bigint();
  for (const call of calls) queue.push({ ...call, receivedNs });
};

/**
 * Waits a moment for the next call before the thread goes back to sleep: a call that comes
 * soon skips the wake-up. Adaptive, as a spinning lock is: when the last spins found nothing
 * (the next call comes from another node, or not at all) the thread stops spinning and only
 * tries again every PROBE_EVERY calls, so a pattern that does not pay costs no CPU.
 */
const PROBE_EVERY = 16;
let recentHits = 1;
let sinceProbe = 0;

function spinForNext(): boolean {
  if (SPIN_NS === 0n) return false;
  if (recentHits === 0 && ++sinceProbe < PROBE_EVERY) return false;
  sinceProbe = 0;
  const until = process.hrtime.bigint() + SPIN_NS;
  while (process.hrtime.bigint() < until) {
    const received = receiveMessageOnPort(port) as { message: CallMessage[] } | undefined;
    if (received) {
      recentHits = Math.min(recentHits + 1, 4);
      accept(received.message);
      return true;
    }
  }
  recentHits = Math.max(recentHits - 1, 0);
  return false;
}

let draining = false;
port.on('message', async (calls: CallMessage[]) => {
  accept(calls);
  if (draining) return;
  draining = true;
  do {
    while (queue.length > 0) await run(queue.shift()!);
  } while (spinForNext());
  draining = false;
});

port.postMessage({ type: 'ready', threadId });
