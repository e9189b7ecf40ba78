/**
 * A cluster of runtime nodes on one machine: one process per node, TCP between them
 * on 127.0.0.1. Each workflow has a home node, which runs its coordinator shard: its
 * sessions' triggers fire there and its calls are placed from there (placement.ts).
 * Bytes move directly between the node that owns them and the node that needs them.
 *
 * A node process that dies fails, at once, the sessions it was home to and those
 * that had work or objects on it; the others go on.
 */
import { randomBytes } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { AppSpec } from '../app.ts';
import type { SessionResult } from '../node.ts';
import type { RuntimeValue } from '../value.ts';
import type { PeerAddress } from './peers.ts';
import type { PlacementPolicy } from './placement.ts';

export interface ClusterOptions {
  readonly nodes: number;
  /** Executor threads per node (default: available parallelism / nodes, at least 1). */
  readonly executorsPerNode?: number;
  readonly storeBytesPerNode?: number;
  readonly placement?: PlacementPolicy;
}

interface NodeProcess {
  readonly name: string;
  readonly child: ChildProcess;
  alive: boolean;
}

interface Pending {
  readonly node: string;
  readonly resolve: (value: never) => void;
  readonly reject: (error: Error) => void;
}

const NODE_PROCESS = new URL('./node-process.ts', import.meta.url);

export class Cluster {
  /** What the nodes show each other to get in (handed to each over its private IPC channel). */
  private readonly secret = randomBytes(24).toString('base64url');
  private readonly processes: NodeProcess[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly apps = new Set<string>();
  private nextId = 1;
  private closing = false;
  private addresses: PeerAddress[] = [];

  static async start(options: ClusterOptions): Promise<Cluster> {
    const cluster = new Cluster();
    const executors = options.executorsPerNode ?? Math.max(1, Math.floor(availableParallelism() / options.nodes));
    try {
      const addresses = await Promise.all(
        Array.from({ length: options.nodes }, (_, i) =>
          cluster.spawn(`node${i}`, executors, options.storeBytesPerNode ?? 512 * 1024 ** 2, options.placement ?? 'locality'),
        ),
      );
      cluster.addresses = addresses;
      await Promise.all(cluster.processes.map((p) => cluster.command(p, { type: 'peers', peers: addresses }, 'connected')));
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  /** Where each node listens for its peers (127.0.0.1). */
  get peerPorts(): number[] {
    return this.addresses.map((a) => a.port);
  }

  get nodeNames(): string[] {
    return this.processes.map((p) => p.name);
  }

  appNames(): string[] {
    return [...this.apps];
  }

  /** The node whose coordinator shard owns a workflow. */
  homeOf(app: string): string {
    let hash = 0;
    for (const char of app) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
    return this.processes[hash % this.processes.length]!.name;
  }

  async register(app: AppSpec): Promise<void> {
    await Promise.all(this.live().map((p) => this.request(p, { type: 'register', app })));
    this.apps.add(app.name);
  }

  async unregister(name: string): Promise<void> {
    this.apps.delete(name);
    await Promise.all(this.live().map((p) => this.request(p, { type: 'unregister', name })));
  }

  /** Replaces every executor thread on every node (cold starts next). */
  async restartExecutors(): Promise<void> {
    await Promise.all(this.live().map((p) => this.request(p, { type: 'restart' })));
  }

  invoke(app: string, input: RuntimeValue): Promise<SessionResult> {
    const home = this.processes.find((p) => p.name === this.homeOf(app))!;
    return this.request(home, { type: 'invoke', app, input });
  }

  /** Kills a node process (for fault tests). */
  kill(name: string): void {
    this.processes.find((p) => p.name === name)?.child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.processes.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (!p.alive) return resolve();
            p.child.once('exit', () => resolve());
            if (p.child.connected) p.child.disconnect();
            else p.child.kill('SIGKILL');
            setTimeout(() => p.child.kill('SIGKILL'), 2000).unref();
          }),
      ),
    );
  }

  private live(): NodeProcess[] {
    return this.processes.filter((p) => p.alive);
  }

  private spawn(name: string, executors: number, storeBytes: number, placement: PlacementPolicy): Promise<PeerAddress> {
    const child = fork(NODE_PROCESS, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const proc: NodeProcess = { name, child, alive: true };
    this.processes.push(proc);
    child.on('message', (message: { type: string; id?: number; result?: unknown; message?: string }) => {
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.type === 'failed') waiter.reject(new Error(message.message));
      else waiter.resolve((message.result ?? undefined) as never);
    });
    child.on('exit', (code, signal) => this.onExit(proc, code, signal));
    return this.command(proc, { type: 'init', name, executors, storeBytes, placement, secret: this.secret }, 'ready').then((ready) => ({
      name,
      port: ready['port'] as number,
      executors: ready['executors'] as number,
    }));
  }

  /** A command answered by a message of type `answer` (start-up only). */
  private command(proc: NodeProcess, message: object, answer: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: { type: string; message?: string }): void => {
        if (reply.type === answer) {
          proc.child.off('message', onMessage);
          resolve(reply as Record<string, unknown>);
        } else if (reply.type === 'fatal') {
          reject(new Error(`${proc.name}: ${reply.message}`));
        }
      };
      proc.child.on('message', onMessage);
      proc.child.once('exit', () => reject(new Error(`${proc.name} exited while starting`)));
      proc.child.send(message);
    });
  }

  private request<T>(proc: NodeProcess, message: object): Promise<T> {
    if (!proc.alive || !proc.child.connected) return Promise.reject(new Error(`node ${proc.name} died`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { node: proc.name, resolve: resolve as (value: never) => void, reject });
      proc.child.send({ ...message, id });
    });
  }

  private onExit(proc: NodeProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (!proc.alive) return;
    proc.alive = false;
    const why = `node ${proc.name} died (${signal ?? `exit code ${code}`})`;
    for (const [id, waiter] of this.pending) {
      if (waiter.node !== proc.name) continue;
      this.pending.delete(id);
      waiter.reject(new Error(why));
    }
    if (this.closing) return;
    for (const other of this.live()) if (other.child.connected) other.child.send({ type: 'peerDied', name: proc.name });
  }
}
