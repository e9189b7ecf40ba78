/**
 * One runtime node: data buckets, their triggers, and a local scheduler that fires
 * actions and runs functions on this node's executor threads.
 */
import { availableParallelism } from 'node:os';
import { appProblems, type Action, type AppSpec, type TriggerSpec } from './app.ts';
import type { DataObject } from './data-object.ts';
import { ExecutorPool, type CallReply } from './executor-pool.ts';
import { BySetTrigger } from './triggers/by-set.ts';
import { DynamicJoinTrigger } from './triggers/dynamic-join.ts';
import { ImmediateTrigger } from './triggers/immediate.ts';
import type { CountedTrigger, Firing, Trigger } from './triggers/trigger.ts';
import { sizeBytesOf, toShared, type RuntimeValue } from './value.ts';

export interface NodeOptions {
  readonly name?: string;
  /** Executor threads; default: the machine's available parallelism. */
  readonly executors?: number;
  /** Sees every object put into a bucket (for tracing and tests). */
  readonly onObject?: (app: string, bucket: string, object: DataObject) => void;
}

export interface InvocationRecord {
  readonly fn: string;
  readonly id: string;
  readonly attempt: number;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly inBytes: number;
  readonly outBytes: number;
  /** Output bytes that had to be copied into shared memory (0 when the function used ctx.alloc). */
  readonly copiedBytes: number;
  readonly worker: string;
  readonly cold: boolean;
  readonly parents: readonly string[];
}

export interface SessionResult {
  readonly output: RuntimeValue;
  readonly invocations: readonly InvocationRecord[];
  readonly submitNs: bigint;
  readonly doneNs: bigint;
}

interface InstalledApp {
  readonly spec: AppSpec;
  readonly triggers: ReadonlyMap<string, readonly { trigger: Trigger; action: Action }[]>;
  readonly joins: ReadonlyMap<string, { trigger: CountedTrigger; action: Action }>;
}

interface Session {
  readonly id: string;
  readonly app: InstalledApp;
  readonly submitNs: bigint;
  readonly invocations: InvocationRecord[];
  readonly resolve: (result: SessionResult) => void;
  readonly reject: (error: Error) => void;
  nextInvocation: number;
  done: boolean;
}

export class RuntimeNode {
  readonly name: string;
  private readonly pool: ExecutorPool;
  private readonly apps = new Map<string, InstalledApp>();
  private readonly onObject: NodeOptions['onObject'];
  private nextSession = 1;

  private constructor(options: NodeOptions) {
    this.name = options.name ?? 'node0';
    this.pool = new ExecutorPool(this.name, options.executors ?? availableParallelism());
    this.onObject = options.onObject;
  }

  /** Starts a node and waits until its executors are up. */
  static async start(options: NodeOptions = {}): Promise<RuntimeNode> {
    const node = new RuntimeNode(options);
    await node.pool.ready();
    return node;
  }

  get executorCount(): number {
    return this.pool.size;
  }

  register(app: AppSpec): void {
    const problems = appProblems(app);
    if (problems.length > 0) throw new Error(`app '${app.name}': ${problems.join('; ')}`);
    const triggers = new Map<string, { trigger: Trigger; action: Action }[]>();
    const joins = new Map<string, { trigger: CountedTrigger; action: Action }>();
    for (const spec of app.triggers) {
      const trigger = createTrigger(spec);
      triggers.set(spec.bucket, [...(triggers.get(spec.bucket) ?? []), { trigger, action: spec.action }]);
      if (trigger instanceof DynamicJoinTrigger) joins.set(spec.bucket, { trigger, action: spec.action });
    }
    this.apps.set(app.name, { spec: app, triggers, joins });
  }

  unregister(name: string): void {
    this.apps.delete(name);
  }

  /** Runs one session of an app to completion. Input bytes not in shared memory are copied in once. */
  invoke(appName: string, input: RuntimeValue): Promise<SessionResult> {
    const app = this.apps.get(appName);
    if (!app) return Promise.reject(new Error(`no app named '${appName}' is registered on ${this.name}`));
    return new Promise((resolve, reject) => {
      const session: Session = {
        id: `${this.name}-s${this.nextSession++}`, app, submitNs: process.hrtime.bigint(), invocations: [],
        resolve, reject, nextInvocation: 1, done: false,
      };
      const value = toShared(input).value;
      this.put(session, app.spec.entry, { session: session.id, scope: [], value, producers: [] });
    });
  }

  /** Replaces every executor thread, so that the next invocations are cold starts. */
  restartExecutors(): Promise<void> {
    return this.pool.restart();
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private put(session: Session, bucket: string, object: DataObject): void {
    if (session.done) return;
    this.onObject?.(session.app.spec.name, bucket, object);
    if (bucket === session.app.spec.result) {
      this.finish(session, undefined, object.value);
      return;
    }
    for (const { trigger, action } of session.app.triggers.get(bucket) ?? []) {
      for (const firing of trigger.offer(object)) this.fire(session, action, firing);
    }
  }

  private fire(session: Session, action: Action, firing: Firing): void {
    const producers = firing.inputs.length === 1 ? firing.inputs[0]!.producers : firing.inputs.flatMap((o) => o.producers);
    const value: RuntimeValue = firing.inputs.length === 1 && action.kind !== 'gather' ? firing.inputs[0]!.value : firing.inputs.map((o) => o.value);
    switch (action.kind) {
      case 'call':
        this.call(session, action.fn, action.to, value, producers, firing.scope);
        return;
      case 'fork':
        action.to.forEach((bucket, branch) => this.put(session, bucket, { session: session.id, scope: [...firing.scope, String(branch)], value, producers }));
        return;
      case 'gather':
        for (const bucket of action.to) this.put(session, bucket, { session: session.id, scope: firing.scope, value, producers });
        return;
      case 'split': {
        if (!Array.isArray(value)) {
          this.finish(session, new Error(`split into '${action.to}': input is not an array`));
          return;
        }
        const items = value as readonly RuntimeValue[];
        items.forEach((item, i) => this.put(session, action.to, { session: session.id, scope: [...firing.scope, String(i)], value: item, producers }));
        const join = session.app.joins.get(action.join)!;
        for (const joined of join.trigger.expect(session.id, firing.scope, items.length)) this.fire(session, join.action, joined);
        return;
      }
    }
  }

  private call(session: Session, fn: string, to: readonly string[], input: RuntimeValue, parents: readonly string[], scope: readonly string[]): void {
    const invocationId = `${session.id}-i${session.nextInvocation++}`;
    const inBytes = sizeBytesOf(input);
    const request = { functionsUrl: session.app.spec.functionsUrl, fn, invocationId, input };
    this.pool.call(request).then(
      (reply) => this.onReply(session, reply, { fn, invocationId, inBytes, parents, to, scope }),
      (error: Error) => this.finish(session, error),
    );
  }

  private onReply(
    session: Session, reply: CallReply,
    call: { fn: string; invocationId: string; inBytes: number; parents: readonly string[]; to: readonly string[]; scope: readonly string[] },
  ): void {
    if (session.done) return;
    if (reply.type === 'failed') {
      this.finish(session, new Error(`function '${call.fn}' failed: ${reply.message}`));
      return;
    }
    session.invocations.push({
      fn: call.fn, id: call.invocationId, attempt: 1, startNs: reply.startNs, endNs: reply.endNs,
      inBytes: call.inBytes, outBytes: sizeBytesOf(reply.output), copiedBytes: reply.copiedBytes,
      worker: reply.worker, cold: reply.cold, parents: call.parents,
    });
    const object: DataObject = { session: session.id, scope: call.scope, value: reply.output, producers: [call.invocationId] };
    for (const bucket of call.to) this.put(session, bucket, object);
  }

  private finish(session: Session, error: Error | undefined, output?: RuntimeValue): void {
    if (session.done) return;
    session.done = true;
    for (const entries of session.app.triggers.values()) for (const { trigger } of entries) trigger.dropSession(session.id);
    if (error) session.reject(error);
    else session.resolve({ output: output ?? null, invocations: session.invocations, submitNs: session.submitNs, doneNs: process.hrtime.bigint() });
  }
}

function createTrigger(spec: TriggerSpec): Trigger {
  switch (spec.primitive) {
    case 'immediate': return new ImmediateTrigger();
    case 'bySet': return new BySetTrigger(spec.set);
    case 'dynamicJoin': return new DynamicJoinTrigger();
  }
}
