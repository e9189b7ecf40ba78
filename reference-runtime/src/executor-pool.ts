/**
 * The node's executor threads and the queue of calls waiting for them.
 *
 * - Order: a priority queue, FIFO within a priority; the node gives a call its depth in
 *   the workflow, so consumers (which free memory) run before more producers.
 * - Batches: an idle executor takes up to 16 calls in one message while the store is
 *   under half full, else one at a time; it runs them one after another.
 * - Memory pressure: an executor whose call waits for store memory returns the calls it
 *   has not started, and when every executor is busy and one is blocked, an extra
 *   executor starts (retired when no longer needed), as a fork-join pool compensates.
 * - Failure: an executor that dies is replaced, the memory it had allocated for the call
 *   is reclaimed, and the call runs again (at-least-once), up to `maxAttempts`.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { CallMessage, ExecutorData, ReplyMessage } from './protocol.ts';
import { MAX_EXECUTORS, type Arena } from './store/arena.ts';

export type CallRequest = Omit<CallMessage, 'type' | 'callId' | 'attempt' | 'sentNs'> & {
  /** Higher runs first. The node passes the call's depth in its workflow, so consumers (which free memory) go before more producers. */
  readonly priority: number;
};
export type CallReply = ReplyMessage & {
  readonly worker: string;
  readonly owner: number;
  readonly attempt: number;
  /** When the node posted the call to the executor, and when its thread got the reply. */
  readonly sentNs: bigint;
  readonly replyReceivedNs: bigint;
};

export interface PoolOptions {
  readonly nodeName: string;
  readonly size: number;
  readonly arena: Arena;
  readonly allocWaitMs: number;
  readonly maxAttempts: number;
  /**
   * Called synchronously with every reply, before the executor gets its next call,
   * so the node can take over (or free) what the call allocated under the
   * executor's owner tag before the next call allocates under the same tag.
   */
  readonly adopt: (reply: ReplyMessage, owner: number) => void;
  /**
   * How long an executor polls for its next call after its last one before it sleeps, µs.
   * A call that comes within the window is taken at once instead of after a wake-up (15 µs
   * to several hundred on a busy VM); the price is that much CPU spent waiting, only when
   * the executor has nothing to do. 0: sleep at once.
   */
  readonly executorSpinUs: number;
  /**
   * How long the node's thread polls the executors' channels for the reply to a lone call
   * (one call out, none queued), µs after it was sent. It saves the node's own wake-up on a
   * workflow's critical path; while it polls its event loop waits (at most 200 µs at a
   * stretch), which is why it is not done with more work out: polling whenever calls were out
   * halved the gateway's throughput (4600/s instead of 12000/s). 0: the node sleeps.
   */
  readonly nodePollUs: number;
}

interface Executor {
  readonly name: string;
  readonly owner: number;
  readonly worker: Worker;
  /** The node's end of the executor's channel. */
  readonly port: MessagePort;
  ready: Promise<void>;
  /** Calls sent to the thread, in the order it runs them (the first is running). */
  readonly inflight: Pending[];
  /** Its running call waits for memory. */
  blocked: boolean;
  /** Started to stand in for blocked executors; retired when no longer needed. */
  readonly extra: boolean;
  lastError?: Error;
}

interface Pending {
  readonly callId: number;
  readonly request: CallRequest;
  attempt: number;
  sentNs: bigint;
  readonly resolve: (reply: CallReply) => void;
  readonly reject: (error: Error) => void;
}

const EXECUTOR_URL = new URL('./executor.ts', import.meta.url);
/** An executor's JavaScript heap. */
const EXECUTOR_HEAP_MB = 4096;
/** Most calls sent to an executor in one message. */
const MAX_BATCH = 16;
/** The longest the node's thread polls before it lets the event loop run. */
const POLL_SLICE_NS = 200_000n;

type ExecutorMessage = ReplyMessage[] | { type: 'ready' } | { type: 'blocked'; callIds: number[] };

export class ExecutorPool {
  private readonly executors: Executor[] = [];
  private readonly queue = new PriorityQueue<Pending>();
  private readonly options: PoolOptions;
  private nextCallId = 1;
  private spawned = 0;
  private closed = false;

  constructor(options: PoolOptions) {
    if (options.size < 1 || options.size > MAX_EXECUTORS) throw new RangeError(`executors: expected 1 to ${MAX_EXECUTORS}, got ${options.size}`);
    this.options = options;
    for (let i = 0; i < options.size; i++) this.executors.push(this.spawn(false));
  }

  /** Executors configured (extras standing in for blocked ones are not counted). */
  get size(): number {
    return this.options.size;
  }

  /** Calls waiting for an executor. */
  get queued(): number {
    return this.queue.length;
  }

  get busy(): number {
    return this.executors.reduce((n, e) => n + e.inflight.length, 0);
  }

  async ready(): Promise<void> {
    await Promise.all(this.executors.map((e) => e.ready));
  }

  call(request: CallRequest): Promise<CallReply> {
    if (this.closed) return Promise.reject(new Error('executor pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push(request.priority, { callId: this.nextCallId++, request, attempt: 1, sentNs: 0n, resolve, reject });
      this.dispatch();
    });
  }

  /** Replaces every executor with a fresh thread: the next calls are cold starts. */
  async restart(): Promise<void> {
    const old = this.executors.splice(0);
    await Promise.all(old.map((e) => this.retire(e)));
    for (let i = 0; i < this.options.size; i++) this.executors.push(this.spawn(false));
    await this.ready();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.drain()) pending.reject(new Error('executor pool closed'));
    await Promise.all(this.executors.splice(0).map((e) => this.retire(e)));
  }

  /** The smallest owner tag no live executor has. */
  private freeOwner(): number {
    const taken = new Set(this.executors.map((e) => e.owner));
    let owner = 1;
    while (taken.has(owner)) owner++;
    return owner;
  }

  private spawn(extra: boolean): Executor {
    const owner = this.freeOwner();
    const { port1, port2 } = new MessageChannel();
    const workerData: ExecutorData = {
      arena: this.options.arena.buffers,
      owner,
      allocWaitMs: this.options.allocWaitMs,
      port: port2,
      spinUs: this.options.executorSpinUs,
    };
    // A function's JavaScript heap is bounded, so one that runs away fails its call (the executor dies
    // and the call is retried, then fails) instead of the node; objects live in the shared arena, outside it.
    const worker = new Worker(EXECUTOR_URL, { workerData, transferList: [port2], resourceLimits: { maxOldGenerationSizeMb: EXECUTOR_HEAP_MB } });
    worker.unref();
    port1.unref();
    const executor: Executor = {
      name: `${this.options.nodeName}/executor-${this.spawned++}`,
      owner,
      worker,
      port: port1,
      ready: Promise.resolve(),
      inflight: [],
      blocked: false,
      extra,
    };
    executor.ready = new Promise((resolve, reject) => {
      port1.once('message', () => resolve());
      worker.once('exit', (code) => reject(new Error(`executor ${executor.name} exited with code ${code} while starting`)));
    });
    executor.ready.catch(() => {}); // surfaced by ready() and by the exit handler
    worker.on('error', (error) => {
      executor.lastError = error;
    });
    port1.on('message', (message: ExecutorMessage) => this.onMessage(executor, message));
    worker.on('exit', (code) => this.onExit(executor, code));
    return executor;
  }

  private onMessage(executor: Executor, message: ExecutorMessage): void {
    if (Array.isArray(message)) {
      const replyReceivedNs = process.hrtime.bigint();
      for (const reply of message) this.onReply(executor, reply, replyReceivedNs);
      this.dispatch();
      return;
    }
    if (message.type === 'ready') return;
    // The thread waits for memory: the calls it had not started go back to the queue,
    // where an executor that is not blocked can take them (consumers that free memory).
    executor.blocked = true;
    const returned = executor.inflight.filter((p) => message.callIds.includes(p.callId));
    executor.inflight.splice(0, executor.inflight.length, ...executor.inflight.filter((p) => !message.callIds.includes(p.callId)));
    for (const pending of returned.reverse()) this.queue.pushFront(pending.request.priority, pending);
    this.dispatch();
  }

  private polling = false;

  /**
   * While one call is out and none waits, the node's thread polls the executors' channels
   * instead of sleeping, for up to `nodePollUs` after the last message and at most
   * POLL_SLICE_NS at a stretch: then it goes back to the event loop (timers, sockets) and
   * comes back to polling if the call is still out. It yields to promise continuations
   * between polls, so that a reply's trigger can fire and dispatch the next call meanwhile.
   */
  private poll(): void {
    // Only for a lone call: with more work out the node is in its throughput regime, where
    // replies keep its event loop awake anyway and polling would only hold up its sockets.
    if (this.options.nodePollUs === 0 || this.polling || this.closed || this.busy !== 1 || this.queue.length > 0) return;
    this.polling = true;
    const spinNs = BigInt(Math.round(this.options.nodePollUs * 1000));
    void (async () => {
      const startNs = process.hrtime.bigint();
      let lastNs = startNs;
      while (this.busy === 1 && this.queue.length === 0 && !this.closed) {
        const nowNs = process.hrtime.bigint();
        if (nowNs - lastNs > spinNs || nowNs - startNs > POLL_SLICE_NS) break;
        for (const executor of [...this.executors]) {
          const received = receiveMessageOnPort(executor.port) as { message: ExecutorMessage } | undefined;
          if (received) {
            this.onMessage(executor, received.message);
            lastNs = process.hrtime.bigint();
          }
        }
        await null;
      }
      this.polling = false;
      // Still busy after a full slice: poll again after the event loop has had its turn.
      if (this.busy === 1 && process.hrtime.bigint() - lastNs <= spinNs) setImmediate(() => this.poll());
    })();
  }

  /** One reply of an executor's batch: the node adopts what the call allocated before anything else can allocate under its tag. */
  private onReply(executor: Executor, reply: ReplyMessage, replyReceivedNs: bigint): void {
    const pending = executor.inflight.shift();
    executor.blocked = false;
    this.options.adopt(reply, executor.owner);
    pending?.resolve({ ...reply, worker: executor.name, owner: executor.owner, attempt: pending.attempt, sentNs: pending.sentNs, replyReceivedNs });
    if (executor.extra && executor.inflight.length === 0 && this.queue.length === 0 && !this.executors.some((e) => e.blocked)) {
      this.executors.splice(this.executors.indexOf(executor), 1);
      void this.retire(executor);
    }
  }

  private onExit(executor: Executor, code: number): void {
    const index = this.executors.indexOf(executor);
    if (index < 0) return; // retired on purpose
    const [pending, ...notStarted] = executor.inflight.splice(0);
    this.options.arena.freeOwnedBy(executor.owner);
    if (this.closed) return;
    if (executor.extra) this.executors.splice(index, 1);
    else this.executors[index] = this.spawn(false);
    for (const waiting of notStarted.reverse()) this.queue.pushFront(waiting.request.priority, waiting);
    if (pending) {
      if (pending.attempt < this.options.maxAttempts) {
        pending.attempt++;
        this.queue.pushFront(pending.request.priority, pending);
      } else {
        const why = executor.lastError ? `: ${executor.lastError.message}` : '';
        pending.reject(
          new Error(
            `executor ${executor.name} exited with code ${code} while running '${pending.request.fn}' (attempt ${pending.attempt} of ${this.options.maxAttempts})${why}`,
          ),
        );
      }
    }
    this.dispatch();
  }

  private async retire(executor: Executor): Promise<void> {
    for (const pending of executor.inflight.splice(0)) pending.reject(new Error(`executor ${executor.name} was stopped`));
    await executor.worker.terminate();
    executor.port.close();
    this.options.arena.freeOwnedBy(executor.owner);
  }

  /**
   * Gives idle executors work. When many calls wait and the store has room, an
   * executor gets a batch in one message and runs it back to back (no round trip
   * between calls); when memory is tight, one call at a time. A thread that has to
   * wait for memory hands back the calls of its batch it has not started, so that a
   * producer blocked on memory never holds consumers hostage behind it.
   */
  private dispatch(): void {
    const arena = this.options.arena;
    const anyBlocked = this.executors.some((e) => e.blocked);
    const roomy = arena.usedBytes < arena.capacityBytes / 2 && !anyBlocked;
    // Every executor is busy and one waits for memory: start an extra one, so that the
    // consumers that would free memory can run (as a fork-join pool compensates).
    if (
      anyBlocked &&
      this.queue.length > 0 &&
      this.executors.every((e) => e.inflight.length > 0) &&
      this.executors.filter((e) => e.extra).length < this.options.size &&
      this.executors.length < MAX_EXECUTORS
    ) {
      this.executors.push(this.spawn(true));
    }
    for (const executor of this.executors) {
      if (this.queue.length === 0) return;
      if (executor.inflight.length > 0) continue;
      const size = roomy ? Math.min(MAX_BATCH, Math.ceil(this.queue.length / this.executors.length)) : 1;
      const calls: CallMessage[] = [];
      const sentNs = process.hrtime.bigint();
      while (calls.length < size && this.queue.length > 0) {
        const pending = this.queue.shift()!;
        pending.sentNs = sentNs;
        executor.inflight.push(pending);
        const { priority: _, ...request } = pending.request;
        calls.push({ type: 'call', callId: pending.callId, attempt: pending.attempt, sentNs, ...request });
      }
      executor.port.postMessage(calls);
    }
    this.poll();
  }
}

/** FIFO per priority; the highest priority first. */
class PriorityQueue<T> {
  private readonly levels = new Map<number, T[]>();
  private sorted: number[] = [];
  length = 0;

  push(priority: number, item: T): void {
    this.level(priority).push(item);
    this.length++;
  }

  pushFront(priority: number, item: T): void {
    this.level(priority).unshift(item);
    this.length++;
  }

  shift(): T | undefined {
    for (const priority of this.sorted) {
      const items = this.levels.get(priority)!;
      if (items.length > 0) {
        this.length--;
        return items.shift();
      }
    }
    return undefined;
  }

  drain(): T[] {
    const all = this.sorted.flatMap((p) => this.levels.get(p)!.splice(0));
    this.length = 0;
    return all;
  }

  private level(priority: number): T[] {
    let items = this.levels.get(priority);
    if (!items) {
      this.levels.set(priority, (items = []));
      this.sorted = [...this.levels.keys()].sort((a, b) => b - a);
    }
    return items;
  }
}
