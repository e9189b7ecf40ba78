/**
 * The functions a local Lambda holds, and their execution environments: each one a
 * worker thread, started on first use (a real cold start: the code is loaded then),
 * reused while warm, retired after an idle timeout or when the configuration changes.
 */
import { CPU_SHARE_ENV, cpuShareOf } from '../../../harness/adapter-kit/cpu-share.ts';
import { makeTempDir } from '../../../harness/adapter-kit/temp-dirs.ts';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { unzipSync } from 'fflate';

export interface FunctionConfig {
  readonly FunctionName: string;
  readonly Runtime: string;
  readonly Handler: string;
  readonly MemorySize: number;
  readonly Timeout: number;
  readonly Role: string;
  readonly Environment: { readonly Variables: Readonly<Record<string, string>> };
}

export type InvokeOutcome =
  | { readonly result: unknown }
  | { readonly error: { readonly errorType: string; readonly errorMessage: string; readonly trace?: string[] } };

interface Instance {
  readonly worker: Worker;
  busy: boolean;
  lastUsedMs: number;
  pending: ((outcome: InvokeOutcome) => void) | undefined;
}

interface Deployed {
  config: FunctionConfig;
  readonly codeDir: string;
  readonly instances: Set<Instance>;
}

const INSTANCE_WORKER = new URL('./instance-worker.ts', import.meta.url);

/** What `PutFunctionEventInvokeConfig` sets (the parts the stand-in honours). */
export interface EventInvokeConfig {
  readonly MaximumRetryAttempts?: number;
  readonly DestinationConfig?: { readonly OnFailure?: { readonly Destination?: string } };
}

export class LocalFunctions {
  private readonly functions = new Map<string, Deployed>();
  private readonly root = makeTempDir('lambda');
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;
  /** Cold starts so far (instances started), for tests and reports. */
  coldStarts = 0;
  /** Event invocations that failed and were tried again. */
  asyncRetries = 0;
  private readonly retryDelayMs: number;
  /** What every function's environment has besides its own variables (credentials, region), as Lambda sets them. */
  private readonly env: Readonly<Record<string, string>>;
  private readonly eventInvokeConfigs = new Map<string, EventInvokeConfig>();

  /** A function's ARN, as records name it. */
  private readonly arnOf: (name: string) => string;

  constructor(options: { idleMs?: number; retryDelayMs?: number; env?: Readonly<Record<string, string>>; arnOf?: (name: string) => string } = {}) {
    this.arnOf = options.arnOf ?? ((name) => name);
    this.idleMs = options.idleMs ?? 10 * 60_000;
    this.env = options.env ?? {};
    this.retryDelayMs = options.retryDelayMs ?? 20;
    this.sweeper = setInterval(() => this.retireIdle(), Math.min(this.idleMs, 10_000));
    this.sweeper.unref();
  }

  get(name: string): FunctionConfig | undefined {
    return this.functions.get(name)?.config;
  }

  list(): FunctionConfig[] {
    return [...this.functions.values()].map((f) => f.config);
  }

  create(config: FunctionConfig, zip: Uint8Array): void {
    const codeDir = join(this.root, `${config.FunctionName}-${randomUUID()}`);
    for (const [path, bytes] of Object.entries(unzipSync(zip))) {
      if (path.endsWith('/')) continue;
      const file = join(codeDir, path);
      if (!file.startsWith(codeDir)) throw new Error(`zip entry '${path}' escapes the code folder`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    }
    this.functions.set(config.FunctionName, { config, codeDir, instances: new Set() });
  }

  /** A configuration change retires every instance, as in Lambda: the next invocations are cold. */
  updateConfig(name: string, change: Partial<FunctionConfig>): FunctionConfig {
    const deployed = this.functions.get(name)!;
    deployed.config = { ...deployed.config, ...change };
    for (const instance of deployed.instances) void instance.worker.terminate();
    deployed.instances.clear();
    return deployed.config;
  }

  async delete(name: string): Promise<void> {
    const deployed = this.functions.get(name);
    this.functions.delete(name);
    if (!deployed) return;
    await Promise.all([...deployed.instances].map((i) => i.worker.terminate()));
    rmSync(deployed.codeDir, { recursive: true, force: true });
  }

  async invoke(name: string, event: unknown): Promise<InvokeOutcome> {
    const deployed = this.functions.get(name)!;
    const instance = [...deployed.instances].find((i) => !i.busy) ?? this.start(deployed);
    instance.busy = true;
    const timeoutMs = deployed.config.Timeout * 1000;
    const outcome = await new Promise<InvokeOutcome>((resolve) => {
      const timer = setTimeout(() => {
        deployed.instances.delete(instance);
        void instance.worker.terminate();
        resolve({ error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${deployed.config.Timeout.toFixed(2)} seconds` } });
      }, timeoutMs);
      instance.pending = (result) => {
        clearTimeout(timer);
        resolve(result);
      };
      instance.worker.postMessage({ requestId: randomUUID(), event, deadlineMs: Date.now() + timeoutMs });
    });
    instance.busy = false;
    instance.pending = undefined;
    instance.lastUsedMs = Date.now();
    return outcome;
  }

  /**
   * An asynchronous (Event) invocation: on a function error it is tried again, twice,
   * as Lambda does (there after about 1 and 2 minutes; here after `retryDelayMs` and
   * twice that).
   */
  async invokeEvent(name: string, event: unknown): Promise<void> {
    const settings = this.eventInvokeConfigs.get(name);
    const maxRetries = settings?.MaximumRetryAttempts ?? 2;
    for (let attempt = 0; ; attempt++) {
      if (!this.functions.has(name)) return;
      const outcome = await this.invoke(name, event);
      if (!('error' in outcome)) return;
      if (attempt >= maxRetries) return this.deliverFailure(name, event, outcome.error, attempt + 1);
      this.asyncRetries++;
      await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** attempt));
    }
  }

  /** `PutFunctionEventInvokeConfig`: retries and destinations of a function's Event invocations. */
  putEventInvokeConfig(name: string, config: EventInvokeConfig): void {
    this.eventInvokeConfigs.set(name, config);
  }

  eventInvokeConfig(name: string): EventInvokeConfig | undefined {
    return this.eventInvokeConfigs.get(name);
  }

  /**
   * Retries exhausted: the invocation record goes to the on-failure destination (a
   * function here; SQS, SNS and EventBridge are not stood in), in Lambda's format.
   */
  private async deliverFailure(name: string, event: unknown, error: { errorType: string; errorMessage: string }, invokeCount: number): Promise<void> {
    const destination = this.eventInvokeConfigs.get(name)?.DestinationConfig?.OnFailure?.Destination;
    if (!destination) return;
    const target = destination.split(':').at(-1)!;
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: randomUUID(),
        functionArn: `${this.arnOf(name)}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: invokeCount,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: error,
    };
    if (this.functions.has(target)) await this.invoke(target, record);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.functions.keys()].map((name) => this.delete(name)));
    rmSync(this.root, { recursive: true, force: true });
  }

  private start(deployed: Deployed): Instance {
    const { config, codeDir } = deployed;
    const worker = new Worker(INSTANCE_WORKER, {
      // BATON_LAMBDA_SLOWDOWN_PCT: a testing knob for regression gates (instance-worker.ts), read from the stand-in's own environment.
      workerData: {
        codeDir,
        handler: config.Handler,
        functionName: config.FunctionName,
        memoryMB: config.MemorySize,
        slowdownPct: Number(process.env['BATON_LAMBDA_SLOWDOWN_PCT'] ?? 0) || 0,
      },
      // The configured memory bounds the function's JavaScript heap, as Lambda bounds the
      // sandbox (byte arrays live outside V8's heap and are not counted here).
      resourceLimits: { maxOldGenerationSizeMb: config.MemorySize },
      env: {
        ...this.env,
        ...config.Environment.Variables,
        AWS_LAMBDA_FUNCTION_NAME: config.FunctionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.MemorySize),
        // Lambda's CPU share by memory, emulated by the function wrapper (harness/adapter-kit/cpu-share.ts).
        [CPU_SHARE_ENV]: String(cpuShareOf(config.MemorySize)),
      },
    });
    worker.unref();
    const instance: Instance = { worker, busy: false, lastUsedMs: Date.now(), pending: undefined };
    worker.on('message', (message: InvokeOutcome) => instance.pending?.(message));
    worker.on('error', (error) => {
      // Over its memory, Lambda kills the sandbox: "Runtime exited with error: signal: killed".
      const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      const errorMessage = outOfMemory ? `Runtime exited with error: signal: killed (over the function's ${config.MemorySize} MB)` : error.message;
      instance.pending?.({ error: { errorType: 'Runtime.ExitError', errorMessage } });
      instance.pending = undefined;
    });
    worker.on('exit', (code) => {
      deployed.instances.delete(instance);
      instance.pending?.({ error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}` } });
      instance.pending = undefined;
    });
    deployed.instances.add(instance);
    this.coldStarts++;
    return instance;
  }

  private retireIdle(): void {
    const now = Date.now();
    for (const deployed of this.functions.values()) {
      for (const instance of deployed.instances) {
        if (!instance.busy && now - instance.lastUsedMs > this.idleMs) {
          deployed.instances.delete(instance);
          void instance.worker.terminate();
        }
      }
    }
  }
}
