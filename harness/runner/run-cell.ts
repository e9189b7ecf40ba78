/**
 * One cell: deploy a workload on a platform, discard warm-up runs, measure N runs in a
 * closed loop (each run starts when the previous one is done), verify every output.
 * Failures are data: the cell's status says what happened, the suite goes on.
 */
import { InputError, InterruptedError, UnsupportedError, errorMessage } from '../model/errors.ts';
import { RunDeadlineError, withinDeadline } from './deadline.ts';
import { DEFAULT_RUN_TIMEOUT_SECONDS } from './plan.ts';
import {
  addStorageIo,
  checkStorageSpec,
  newStorageIo,
  storageIoUsed,
  type Deployment,
  type PlatformAdapter,
  type StorageIo,
  type Target,
} from '../model/index.ts';
import { encodeHistogram, newHistogram, recordUs, type Histogram } from '../metrics/histogram.ts';
import { summarize } from '../metrics/summary.ts';
import { CellSamples } from '../metrics/samples.ts';
import { estimateCost } from '../cost/cost.ts';
import { coldStartsOf, criticalPathUs, traceProblems, transitionsUs, windowFunctionsOf, windowLatenciesUs } from '../metrics/trace-metrics.ts';
import { METRICS, type CellResult, type MetricName } from '../results/schema.ts';
import { cellParams, type PlannedCell } from './plan.ts';
import { CLOSED, describeLoad, type LoadSpec } from '../load/load-spec.ts';
import { measureUnderLoad, scheduleOf, type LoadOutcome } from './measure-load.ts';
import type { Execution } from '../model/index.ts';

export interface CellOptions {
  readonly repetitions: number;
  readonly warmup: number;
  /** Stop measuring after this long, once MIN_BUDGETED_RUNS runs are in. */
  readonly cellBudgetSeconds?: number;
  readonly target: Target;
  readonly faults: Readonly<Record<string, number>>;
  /** Called after every run, warm-up or measured. */
  readonly onRun?: () => void;
  /** A run with no result after this long fails the cell (default: DEFAULT_RUN_TIMEOUT_SECONDS). */
  readonly runTimeoutSeconds?: number;
  /** Aborted on an interrupt: the cell stops at once and `runCell` rejects with the InterruptedError. */
  readonly signal?: AbortSignal;
  /** Called when a run missed its deadline: the adapter may still hold it and should be restarted. */
  readonly onHung?: () => void;
  /** How the measured executions arrive (default: closed, one after another). */
  readonly load?: LoadSpec;
  /** A trace load's arrivals (ms from the start), read when the run was planned. */
  readonly arrivalsMs?: readonly number[];
}

const NS_PER_US = 1000;
/** Measured runs a time-budgeted cell always gets: enough for a median and its CI. */
export const MIN_BUDGETED_RUNS = 5;

/** What a cell's measuring leaves for its teardown: the deployment, unless a run hung in it. */
interface Held {
  deployment?: Deployment;
  hung: boolean;
}

export async function runCell(adapter: PlatformAdapter, cell: PlannedCell, options: CellOptions): Promise<CellResult> {
  const held: Held = { hung: false };
  let result: CellResult | undefined;
  try {
    result = await measureCell(adapter, cell, options, held);
  } finally {
    // A hung run's deployment is not torn down here (it would wait for the run): the runner restarts the adapter.
    if (held.deployment && !held.hung) {
      const failure = await adapter.teardown(held.deployment).then(
        () => undefined,
        (error: unknown) => errorMessage(error),
      );
      // Reported, not swallowed: what is left may cost money or get in the way (`baton cleanup` removes what Baton left).
      if (failure !== undefined && result) result = { ...result, teardownError: failure };
    }
  }
  return result;
}

async function measureCell(adapter: PlatformAdapter, cell: PlannedCell, options: CellOptions, held: Held): Promise<CellResult> {
  const { workload, params } = cell;
  const base = { workload: workload.name, platform: cell.platform, params: cellParams(cell) };
  const runs = { warmup: 0, measured: 0 };
  const histograms = new Map<MetricName, Histogram>(METRICS.map((metric) => [metric, newHistogram()]));
  let coldStarts = 0;
  const storageIo = newStorageIo();
  const samples = new CellSamples();
  const usages: Readonly<Record<string, number>>[] = [];
  const faults: Record<string, number> = {};
  let deployment: Deployment | undefined;
  let hung = false;
  try {
    const storage = workload.storage?.(params);
    if (storage) checkStorageSpec(storage, `workload ${workload.name}`);
    if (storage && !adapter.storage)
      return unsupportedCell(cell, `${workload.name}'s functions use ctx.storage and ctx.nosql, which ${cell.platform} does not offer`);
    try {
      deployment = await adapter.deploy(
        { name: workload.name, graph: workload.graph(params), functionsUrl: workload.functionsUrl, ...(storage ? { storage } : {}) },
        { target: options.target, ...(cell.settings ? { settings: cell.settings } : {}) },
      );
    } catch (error) {
      if (error instanceof UnsupportedError) return unsupportedCell(cell, error.message);
      throw error;
    }
    const input = workload.input(params);
    const windowFns = windowFunctionsOf(workload.graph(params));
    const timeoutMs = (options.runTimeoutSeconds ?? DEFAULT_RUN_TIMEOUT_SECONDS) * 1000;
    const runOptions = { cold: params['cold'] === 1, faults: options.faults, timeoutMs };
    /** Checks one execution and, when measured, records it; `fromNs` is where its latency counts from. */
    const take = async (execution: Execution, fromNs: bigint, measured: boolean, which: string): Promise<void> => {
      const e2eUs = Number((execution.doneNs ?? process.hrtime.bigint()) - fromNs) / NS_PER_US;
      const problems = traceProblems(execution.trace);
      if (problems.length > 0) throw new NotTheLoads(`malformed trace on ${which}: ${problems.join('; ')}`);
      const check = await workload.verify(execution.output, input, params);
      if (!check.ok) throw new NotTheLoads(`wrong output on ${which}: ${check.reason}`);
      const cold = coldStartsOf(execution.trace);
      if (cold > 0) recordUs(histograms.get('coldE2eUs')!, e2eUs);
      if (!measured) {
        runs.warmup++;
        return;
      }
      runs.measured++;
      coldStarts += cold;
      if (execution.usage) usages.push(execution.usage);
      for (const [part, values] of Object.entries(execution.partsUs ?? {})) for (const us of values ?? []) recordUs(histograms.get(part as MetricName)!, us);
      for (const [fault, count] of Object.entries(execution.faults ?? {})) faults[fault] = (faults[fault] ?? 0) + count;
      recordUs(histograms.get('e2eUs')!, e2eUs);
      const criticalUs = criticalPathUs(execution.trace);
      samples.add(fromNs, e2eUs, criticalUs, execution.trace);
      recordUs(histograms.get('overheadUs')!, Math.max(0, e2eUs - criticalUs));
      if (execution.trace.invocations.length > 0) recordUs(histograms.get('criticalPathUs')!, criticalUs);
      for (const us of transitionsUs(execution.trace)) recordUs(histograms.get('transitionUs')!, us);
      for (const inv of execution.trace.invocations) {
        if (!inv.storage) continue;
        recordUs(histograms.get('storageUs')!, inv.storage.us);
        addStorageIo(storageIo, inv.storage);
      }
      for (const us of windowLatenciesUs(execution.trace, windowFns, fromNs)) recordUs(histograms.get('windowLatencyUs')!, us);
    };
    const load = options.load ?? CLOSED;
    const schedule = scheduleOf(load, options.repetitions, options.arrivalsMs);
    let measuringSinceNs: bigint | undefined;
    const cellStartNs = process.hrtime.bigint();
    // Under another load the loop below runs only the warm-up (closed), then the schedule runs.
    const closedRuns = schedule ? options.warmup : options.warmup + options.repetitions;
    for (let i = 0; i < closedRuns; i++) {
      const measured = i >= options.warmup;
      // The budget holds for warm-up too: after one warm-up run, a spent budget goes straight to measuring.
      if (
        !measured &&
        options.cellBudgetSeconds !== undefined &&
        runs.warmup >= 1 &&
        Number(process.hrtime.bigint() - cellStartNs) / 1e9 > options.cellBudgetSeconds
      ) {
        i = options.warmup - 1;
        continue;
      }
      measuringSinceNs ??= measured ? process.hrtime.bigint() : undefined;
      if (
        measured &&
        options.cellBudgetSeconds !== undefined &&
        runs.measured >= MIN_BUDGETED_RUNS &&
        Number(process.hrtime.bigint() - measuringSinceNs!) / 1e9 > options.cellBudgetSeconds
      )
        break;
      if (options.signal?.aborted) throw options.signal.reason;
      const submitNs = process.hrtime.bigint();
      const kind = measured ? `measured run ${runs.measured + 1} of ${options.repetitions}` : `warm-up run ${i + 1} of ${options.warmup}`;
      const execution = await withinDeadline(adapter.run(deployment, input, runOptions), timeoutMs, options.signal, () => `${kind} on ${cell.platform}`);
      await take(execution, execution.submitNs ?? submitNs, measured, `run ${i + 1}`);
      options.onRun?.();
    }
    let underLoad: LoadOutcome | undefined;
    if (schedule) {
      let n = 0;
      let notTheLoads: NotTheLoads | undefined;
      underLoad = await measureUnderLoad(
        schedule,
        async (scheduledNs) => {
          const which = `execution ${++n} under --load ${describeLoad(load)}`;
          try {
            const execution = await withinDeadline(
              adapter.run(deployment!, input, runOptions),
              timeoutMs,
              options.signal,
              () => `${which} on ${cell.platform}`,
            );
            // From the scheduled start: time it waited for the platform (or for the harness) counts.
            await take(execution, scheduledNs, true, which);
          } catch (error) {
            if (error instanceof NotTheLoads) notTheLoads ??= error;
            // A run past its deadline may still be held by the platform: it is restarted after this cell.
            if (error instanceof RunDeadlineError && !hung) {
              hung = true;
              options.onHung?.();
            }
            throw error;
          } finally {
            options.onRun?.();
          }
        },
        options.signal,
      );
      if (notTheLoads) throw notTheLoads;
      if (underLoad.completed === 0)
        throw new Error(`no execution completed under --load ${describeLoad(load)}: ${underLoad.firstError ?? 'none was scheduled'}`);
    }
    const encoded: CellResult['histograms'] = {};
    const summary: CellResult['summary'] = {};
    for (const [metric, histogram] of histograms) {
      if (histogram.totalCount === 0) continue;
      encoded[metric] = encodeHistogram(histogram);
      summary[metric] = summarize(histogram);
    }
    const cost = estimateCost(usages, deployment.region);
    return {
      ...base,
      ...(deployment.region ? { region: deployment.region } : {}),
      status: 'ok',
      verified: true,
      runs,
      coldStarts,
      histograms: encoded,
      summary,
      ...(Object.keys(faults).length > 0 ? { faults } : {}),
      ...(storageIoUsed(storageIo) ? { storageIo: perRun(storageIo, runs.measured) } : {}),
      ...(underLoad && load.mode !== 'closed' ? { load: loadRecord(load, underLoad) } : {}),
      ...(samples.toJson() ? { samples: samples.toJson()! } : {}),
      ...(cost && 'unavailable' in cost ? { costUnavailable: cost.unavailable } : cost ? { cost } : {}),
    };
  } catch (error) {
    if (error instanceof InputError || error instanceof InterruptedError) throw error; // bad input stops the run (exit 2); so does an interrupt
    if (error instanceof RunDeadlineError) {
      hung = true;
      options.onHung?.();
    }
    // A platform may find only at run time that it cannot run a cell (a payload over its limit).
    const status = error instanceof UnsupportedError ? 'unsupported' : 'failed';
    return { ...base, status, reason: errorMessage(error), verified: false, runs, coldStarts, histograms: {}, summary: {} };
  } finally {
    for (const histogram of histograms.values()) histogram.destroy();
    if (deployment) held.deployment = deployment;
    held.hung = hung;
  }
}

/** A wrong output or a malformed trace fails its cell under any load: it is the workload's or the platform's error, not the load's. */
class NotTheLoads extends Error {}

/** What a cell records of the load it ran under. */
function loadRecord(load: Exclude<LoadSpec, { mode: 'closed' }>, outcome: LoadOutcome): NonNullable<CellResult['load']> {
  const lag = [...outcome.startLagUs].sort((a, b) => a - b);
  const at = (q: number) => lag[Math.min(lag.length - 1, Math.floor(q * lag.length))] ?? 0;
  return {
    mode: load.mode,
    description: describeLoad(load),
    scheduled: outcome.scheduled,
    completed: outcome.completed,
    failed: outcome.failed,
    ...(outcome.firstError ? { firstError: outcome.firstError } : {}),
    ...(outcome.offeredPerSec !== undefined ? { offeredPerSec: outcome.offeredPerSec } : {}),
    achievedPerSec: outcome.achievedPerSec,
    startLagUs: { p50: at(0.5), p99: at(0.99), max: lag.at(-1) ?? 0 },
  };
}

/** Storage calls and bytes per measured run (means); the time is in the storageUs histogram. */
function perRun(io: StorageIo, runs: number): Omit<StorageIo, 'us'> {
  const { us: _time, ...counts } = io;
  return Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, n / Math.max(1, runs)])) as Omit<StorageIo, 'us'>;
}

/** The result of a cell the platform cannot run: no run was made. */
export function unsupportedCell(cell: PlannedCell, reason: string): CellResult {
  const nothing = { verified: false, runs: { warmup: 0, measured: 0 }, coldStarts: 0, histograms: {}, summary: {} };
  return { workload: cell.workload.name, platform: cell.platform, params: cellParams(cell), status: 'unsupported', reason, ...nothing };
}
