/**
 * The host's activity workers: a thread per concurrently running activity, up to a
 * limit (a Function App scales out; an instance runs one activity here at a time, so
 * CPU-bound activities do not share a thread), reused while warm. A thread's first
 * activity pays for loading the app: the cold start the trace records.
 */
import { Worker } from 'node:worker_threads';
import type { ActivityReply, ActivityRequest } from './activity-worker.ts';

const WORKER_URL = new URL('./activity-worker.ts', import.meta.url);
const ACTIVITY_HEAP_MB = 1536;

interface Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  busy: boolean;
  reply?: (outcome: Outcome) => void;
}
type Outcome = { readonly result: string } | { readonly error: { readonly message: string; readonly stack: string } };

export class ActivityPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 0;
  private closed = false;

  private readonly appUrl: string;
  private readonly maxWorkers: number;

  /** `appUrl`: the app's entry module, imported once per worker. */
  constructor(appUrl: string, maxWorkers = 32) {
    this.appUrl = appUrl;
    this.maxWorkers = maxWorkers;
  }

  async run(name: string, input: string, injectFailure: boolean): Promise<Outcome> {
    const slot = await this.acquire();
    try {
      await slot.ready;
      const id = this.nextId++;
      const outcome = new Promise<Outcome>((resolve) => (slot.reply = resolve));
      slot.worker.postMessage({ id, name, input, injectFailure } satisfies ActivityRequest);
      return await outcome;
    } finally {
      slot.busy = false;
      this.waiting.shift()?.();
    }
  }

  /** Ends idle workers so that the next activities start cold. */
  async recycle(): Promise<void> {
    const idle = this.slots.filter((s) => !s.busy);
    for (const slot of idle) this.slots.splice(this.slots.indexOf(slot), 1);
    await Promise.all(idle.map((s) => s.worker.terminate()));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new Error('the activity pool is closed');
      const idle = this.slots.find((s) => !s.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.slots.length < this.maxWorkers) {
        const slot = this.spawn();
        slot.busy = true;
        return slot;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private spawn(): Slot {
    // An instance of the Consumption plan has 1.5 GB: an activity's JavaScript heap is bounded by it.
    const worker = new Worker(WORKER_URL, { workerData: { appUrl: this.appUrl }, resourceLimits: { maxOldGenerationSizeMb: ACTIVITY_HEAP_MB } });
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`activity worker exited with code ${code} before it was ready`)));
      worker.on('message', (message: ActivityReply | { ready: true }) => {
        if ('ready' in message) return resolve();
        slot.reply?.(message);
        slot.reply = undefined;
      });
    });
    const slot: Slot = { worker, ready, busy: false };
    worker.on('error', (error) => {
      // A worker that died takes its activity with it: fail that invocation, forget the worker.
      this.slots.splice(this.slots.indexOf(slot), 1);
      slot.reply?.({ error: { message: `activity worker crashed: ${error.message}`, stack: error.stack ?? '' } });
      slot.reply = undefined;
    });
    worker.on('exit', (code) => {
      // An activity that ended its thread (process.exit) fails at once, as Azure reports a worker that exited;
      // the slot is freed for the next activity.
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.reply?.({ error: { message: `activity worker exited with code ${code} while running the activity (Runtime exited)`, stack: '' } });
      slot.reply = undefined;
    });
    this.slots.push(slot);
    return slot;
  }
}
