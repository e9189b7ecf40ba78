/**
 * A fixed pool of executor threads with a FIFO queue of calls. Each executor runs one
 * call at a time; a call's input and output cross threads by structured clone, which
 * shares (does not copy) bytes in SharedArrayBuffers.
 */
import { Worker } from 'node:worker_threads';
import type { CallMessage, ReplyMessage } from './protocol.ts';

export type CallRequest = Omit<CallMessage, 'type' | 'callId'>;
export type CallReply = ReplyMessage & { readonly worker: string };

interface Executor {
  readonly name: string;
  readonly worker: Worker;
  ready: Promise<void>;
  current: Pending | undefined;
  lastError?: Error;
}

interface Pending {
  readonly callId: number;
  readonly request: CallRequest;
  readonly resolve: (reply: CallReply) => void;
  readonly reject: (error: Error) => void;
}

const EXECUTOR_URL = new URL('./executor.ts', import.meta.url);

export class ExecutorPool {
  private readonly executors: Executor[] = [];
  private readonly queue: Pending[] = [];
  private nextCallId = 1;
  private nextExecutorId = 0;
  private closed = false;
  private readonly nodeName: string;

  constructor(nodeName: string, size: number) {
    this.nodeName = nodeName;
    for (let i = 0; i < size; i++) this.executors.push(this.spawn());
  }

  get size(): number {
    return this.executors.length;
  }

  /** Resolves once every executor thread is up. */
  async ready(): Promise<void> {
    await Promise.all(this.executors.map((e) => e.ready));
  }

  call(request: CallRequest): Promise<CallReply> {
    if (this.closed) return Promise.reject(new Error('executor pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ callId: this.nextCallId++, request, resolve, reject });
      this.dispatch();
    });
  }

  /** Replaces every executor with a fresh thread: the next calls are cold starts. */
  async restart(): Promise<void> {
    const old = this.executors.splice(0);
    for (let i = 0; i < old.length; i++) this.executors.push(this.spawn());
    await Promise.all(old.map((e) => this.retire(e)));
    await this.ready();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('executor pool closed'));
    await Promise.all(this.executors.splice(0).map((e) => this.retire(e)));
  }

  private spawn(): Executor {
    const worker = new Worker(EXECUTOR_URL);
    worker.unref();
    const executor: Executor = { name: `${this.nodeName}/executor-${this.nextExecutorId++}`, worker, ready: Promise.resolve(), current: undefined };
    executor.ready = new Promise((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('exit', (code) => reject(new Error(`executor ${executor.name} exited with code ${code} while starting`)));
    });
    executor.ready.catch(() => {}); // surfaced by ready() and by the exit handler
    worker.on('error', (error) => { executor.lastError = error; });
    worker.on('message', (message: ReplyMessage | { type: 'ready' }) => {
      if (message.type === 'ready') return;
      const pending = executor.current;
      executor.current = undefined;
      pending?.resolve({ ...message, worker: executor.name });
      this.dispatch();
    });
    worker.on('exit', (code) => this.onExit(executor, code));
    return executor;
  }

  /** An executor that exits while running a call fails that call and is replaced. */
  private onExit(executor: Executor, code: number): void {
    const index = this.executors.indexOf(executor);
    if (index < 0) return; // retired on purpose
    const pending = executor.current;
    executor.current = undefined;
    const why = executor.lastError ? `: ${executor.lastError.message}` : '';
    pending?.reject(new Error(`executor ${executor.name} exited with code ${code} while running '${pending.request.fn}'${why}`));
    if (!this.closed) {
      this.executors[index] = this.spawn();
      this.dispatch();
    }
  }

  private async retire(executor: Executor): Promise<void> {
    executor.current?.reject(new Error(`executor ${executor.name} was stopped`));
    executor.current = undefined;
    await executor.worker.terminate();
  }

  private dispatch(): void {
    for (const executor of this.executors) {
      if (this.queue.length === 0) return;
      if (executor.current) continue;
      const pending = this.queue.shift()!;
      executor.current = pending;
      const message: CallMessage = { type: 'call', callId: pending.callId, ...pending.request };
      executor.worker.postMessage(message);
    }
  }
}
