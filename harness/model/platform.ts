/**
 * The adapter contract: every platform implements exactly this (DESIGN.md §3).
 * Shared behaviour (timing, verification, metrics, results) lives in the harness.
 */
import type { Value } from './value.ts';
import type { NodeKind, WorkflowNode } from './workflow.ts';
import type { Trace } from './trace.ts';
import type { ParamSpec } from './workload.ts';
import { UnsupportedError } from './errors.ts';
import type { StorageSpec } from './storage.ts';

export type Target = 'local' | 'cloud';

/** How a platform runs one node kind, or a target. */
export type Capability =
  | { readonly support: 'native' }
  | { readonly support: 'workaround'; readonly how: string }
  | { readonly support: 'unsupported'; readonly reason: string };

export type Capabilities = Readonly<Record<NodeKind, Capability>>;

/** A workflow ready to deploy: the graph for one set of params and where its functions live. */
export interface WorkflowDefinition {
  readonly name: string;
  readonly graph: WorkflowNode;
  readonly functionsUrl: string;
  /** The storage its functions use (`Workload.storage`): deploy creates it and uploads the objects. */
  readonly storage?: StorageSpec;
}

export interface DeployOptions {
  readonly target: Target;
  /** Values of the adapter's `settings` the cell chose; the adapter's default for the rest. */
  readonly settings?: Readonly<Record<string, string | number>>;
}

/**
 * A choice an adapter offers for how it runs a workflow (`--param NAME=VALUE`, e.g. how data
 * travels between functions): one of named values, or a number within bounds. The cell's
 * params record it where it is not the default. A value the adapter cannot run for a
 * workflow makes `deploy` throw `UnsupportedError`, with the reason.
 */
export type PlatformSetting = (ChoiceSetting | ParamSpec) & {
  /**
   * The setting matters only with these values of other settings (offloadBytes: only with
   * dataPassing=s3); elsewhere a cell leaves it out, as the same cell as without it.
   */
  readonly onlyWith?: Readonly<Record<string, readonly string[]>>;
};

export interface ChoiceSetting {
  readonly description: string;
  /** Each value, with what it does. */
  readonly choices: Readonly<Record<string, string>>;
  readonly default: string;
  /** Values this adapter cannot run, with why: its cells are `unsupported` (and `baton platforms` says so). */
  readonly unsupported?: Readonly<Record<string, string>>;
}

/** A setting's value for a deployment: the one chosen, else the default. Throws `UnsupportedError` for a value the adapter cannot run. */
export function settingOf<T extends string | number>(adapter: Pick<PlatformAdapter, 'settings'>, options: DeployOptions, name: string): T {
  const setting = adapter.settings?.[name];
  const value = options.settings?.[name] ?? setting?.default;
  if (setting === undefined || value === undefined) throw new Error(`${name}: the adapter has no such setting`);
  const why = 'choices' in setting ? setting.unsupported?.[String(value)] : undefined;
  if (why !== undefined) throw new UnsupportedError(`${name}=${value}: ${why}`);
  return value as T;
}

export interface RunOptions {
  /** Force every invocation of this run to be a cold start. */
  readonly cold: boolean;
  /** Fault name -> probability, from `--inject`; only names listed in the adapter's `faults`. */
  readonly faults: Readonly<Record<string, number>>;
  /**
   * The run's deadline (`--run-timeout`, ms). An adapter that waits for a service uses it
   * for that wait, so its error can say where the run was; the runner stops waiting a
   * little later in any case, and restarts the adapter.
   */
  readonly timeoutMs?: number;
}

/**
 * A run's deadline when none is given (`RunOptions.timeoutMs`, `--run-timeout`): a run that
 * has not ended after two minutes is hung here (the clouds' own limits are longer, but no
 * benchmark run here is).
 */
export const DEFAULT_RUN_TIMEOUT_MS = 120_000;

/** Whatever the adapter needs to run and tear down; opaque to the harness. */
export interface Deployment {
  readonly platform: string;
  readonly workflow: WorkflowDefinition;
  /**
   * The cloud region the deployment's resources are in (local stand-ins: the region they
   * answer as). The cell records it, and its cost is priced from that region's table.
   */
  readonly region?: string;
}

export interface Execution {
  readonly output: Value;
  readonly trace: Trace;
  /**
   * When the client saw the execution finish (`process.hrtime.bigint()`), if the
   * adapter did more work after that (fetching a history); else the runner's clock
   * at the end of `run` is the end-to-end end.
   */
  readonly doneNs?: bigint;
  /**
   * When the adapter submitted the execution, if it prepared anything first (forcing cold
   * starts, setting faults): the end-to-end clock starts here, so Baton's own management
   * calls are not counted as the platform's latency. Else the runner's clock at the call.
   */
  readonly submitNs?: bigint;
  /**
   * What this execution would be billed for, per line item of harness/cost/prices
   * (e.g. `aws.lambda.request`: 3), counted from the trace or history.
   */
  readonly usage?: Readonly<Record<string, number>>;
  /**
   * The same line items as the services themselves reported them for this execution, where
   * they do (DynamoDB's ConsumedCapacity): what `usage`, a model, is checked against.
   */
  readonly reported?: Readonly<Record<string, number>>;
  /** Parts of this execution's orchestration, in µs, for platforms that can tell them apart. */
  readonly partsUs?: Readonly<Partial<Record<'storeWriteUs' | 'storeReadUs' | 'invokeUs' | 'replayUs', readonly number[]>>>;
  /** Faults injected in this execution and how the platform handled them (counts). */
  readonly faults?: Readonly<Record<string, number>>;
}

export interface PlatformAdapter<D extends Deployment = Deployment> {
  readonly name: string;
  readonly description: string;
  readonly capabilities: Capabilities;
  readonly targets: Readonly<Record<Target, Capability>>;
  /**
   * How many copies of a run's data the local target holds at once (payloads as JSON text
   * and base64, a history that keeps every one, requests in flight): what `--max-memory`
   * multiplies a workload's `dataBytes` by. Default 1 (zero-copy, in-process).
   */
  readonly dataCopies?: number;
  /** The choices this adapter offers (`--param NAME=VALUE`); cells sweep them only on adapters that offer them. */
  readonly settings?: Readonly<Record<string, PlatformSetting>>;
  /** Faults this adapter can inject (`--inject NAME=P`), with what each does. */
  readonly faults: Readonly<Record<string, string>>;
  /**
   * What backs `ctx.storage` and `ctx.nosql` in each target. Absent: the platform offers
   * functions no storage, and a workload that declares `storage` is unsupported on it.
   */
  readonly storage?: { readonly objects: string; readonly items: string };
  /**
   * How this platform's runs are made cold (`--param cold=1`) and what counts as a cold
   * invocation, as `baton platforms` states it: the methodology behind `coldE2eUs`.
   */
  readonly coldStarts?: string;
  /** Compile and install. Throws `UnsupportedError` for a graph it cannot run. */
  deploy(workflow: WorkflowDefinition, options: DeployOptions): Promise<D>;
  /** Start one execution, wait for it, return its output and trace. Rejects if it fails. */
  run(deployment: D, input: Value, options: RunOptions): Promise<Execution>;
  /** Remove what deploy created. Safe to call once per deployment. */
  teardown(deployment: D): Promise<void>;
  /** Release what the adapter itself holds (stand-in servers, worker pools). */
  close(): Promise<void>;
}

export function native(): Capability {
  return { support: 'native' };
}
export function workaround(how: string): Capability {
  return { support: 'workaround', how };
}
export function unsupported(reason: string): Capability {
  return { support: 'unsupported', reason };
}

/** What every platform but the one whose format it is says of a `foreign` node. */
export const FOREIGN_ELSEWHERE: Capability = unsupported("a workflow in another platform's own format (Unum IR written by hand) runs on that platform only");
