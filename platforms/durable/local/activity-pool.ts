/**
 * The host's activity workers, as a Function App instance's language workers: up to
 * `workers` threads (default: one per core, as FUNCTIONS_WORKER_PROCESS_COUNT would
 * spread one machine's work), each running up to `concurrency` activities at once on its
 * event loop, as a Node.js worker does (the extension's maxConcurrentActivityFunctions,
 * 10 per processor on a Dedicated plan). Threads are reused across activities and
 * instances for as long as they live; a new one starts only when every thread has an
 * activity in flight, so CPU-bound work spreads over the cores and a fan-out pays at
 * most one cold start per thread. A thread's first activity waits for it to load the
 * app: the cold start the trace records. `recycle()` ends the idle threads (forcing
 * cold starts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ActivityReply, ActivityRequest } from './activity-worker.ts';

const WORKER_URL = new URL('./activity-worker.ts', import.meta.url);
const ACTIVITY_HEAP_MB = 1536;
export const DEFAULT_ACTIVITY_CONCURRENCY = 10;

interface Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly inFlight: Map<number, (outcome: Outcome) => void>;
}
export type Outcome = { readonly result: string } | { readonly error: { readonly name?: string; readonly message: string; readonly stack: string } };

export interface ActivityPoolOptions {
  readonly workers?: number;
  readonly concurrency?: number;
}

export class ActivityPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 0;
  private closed = false;
  /** Threads started so far (each one a cold start). */
  started = 0;

  private readonly appUrl: string;
  private readonly maxWorkers: number;
  private readonly concurrency: number;

  /** `appUrl`: the app's entry module, imported once per worker. */
  constructor(appUrl: string, options: ActivityPoolOptions = {}) {
    this.appUrl = appUrl;
    this.maxWorkers = options.workers ?? availableParallelism();
    this.concurrency = options.concurrency ?? DEFAULT_ACTIVITY_CONCURRENCY;
  }

  async run(name: string, input: string, injectFailure: boolean): Promise<Outcome> {
    const id = this.nextId++;
    let reply!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((resolve) => (reply = resolve));
    const slot = await this.acquire(id, reply);
    try {
      await slot.ready;
      slot.worker.postMessage({ id, name, input, injectFailure } satisfies ActivityRequest);
      return await outcome;
    } finally {
      slot.inFlight.delete(id);
      this.waiting.shift()?.();
    }
  }

  /** Ends idle workers so that the next activities start cold. */
  async recycle(): Promise<void> {
    const idle = this.slots.filter((s) => s.inFlight.size === 0);
    for (const slot of idle) this.slots.splice(this.slots.indexOf(slot), 1);
    await Promise.all(idle.map((s) => s.worker.terminate()));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  /** A thread for activity `id` (its place taken at once): an idle one, a new one, or the least busy with room; else wait. */
  private async acquire(id: number, reply: (outcome: Outcome) => void): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new Error('the activity pool is closed');
      const leastBusy = this.slots.reduce<Slot | undefined>((best, s) => (!best || s.inFlight.size < best.inFlight.size ? s : best), undefined);
      const slot =
        leastBusy?.inFlight.size === 0
          ? leastBusy
          : this.slots.length < this.maxWorkers
            ? this.spawn()
            : leastBusy && leastBusy.inFlight.size < this.concurrency
              ? leastBusy
              : undefined;
      if (slot) {
        slot.inFlight.set(id, reply);
        return slot;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private spawn(): Slot {
    this.started++;
    // An instance of the Consumption plan has 1.5 GB: an activity's JavaScript heap is bounded by it.
    const worker = new Worker(WORKER_URL, { workerData: { appUrl: this.appUrl }, resourceLimits: { maxOldGenerationSizeMb: ACTIVITY_HEAP_MB } });
    const inFlight = new Map<number, (outcome: Outcome) => void>();
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`activity worker exited with code ${code} before it was ready`)));
      worker.on('message', (message: ActivityReply | { ready: true }) => {
        if ('ready' in message) return resolve();
        inFlight.get(message.id)?.(message);
      });
    });
    const slot: Slot = { worker, ready, inFlight };
    const failAll = (error: { message: string; stack: string }) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      for (const reply of inFlight.values()) reply({ error });
    };
    // A worker that died takes its activities with it: they fail, and the thread is forgotten.
    worker.on('error', (error) => failAll({ message: `activity worker crashed: ${error.message}`, stack: error.stack ?? '' }));
    // An activity that ended its thread (process.exit) fails at once, as Azure reports a worker that exited.
    worker.on('exit', (code) => failAll({ message: `activity worker exited with code ${code} while running the activity (Runtime exited)`, stack: '' }));
    this.slots.push(slot);
    return slot;
  }
}
