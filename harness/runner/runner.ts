/**
 * Runs a plan: one adapter instance per platform, shared by that platform's cells and
 * closed at the end; cells run one after another so they never disturb each other.
 *
 * Nothing measured is lost: after every cell the result so far goes to `onSnapshot`
 * (marked `interrupted` until the last cell); an interrupt (`signal`) stops the cell in
 * progress, closes every adapter (their stand-ins, hosts, nodes, workers) and returns the
 * finished cells. A cell that failed may have left its platform broken (a hung function
 * still holding an executor, a cluster node that died), so that adapter is closed and the
 * next cell gets a new one.
 */
import { InterruptedError, errorMessage } from '../model/errors.ts';
import type { PlatformAdapter } from '../model/index.ts';
import { initHistograms } from '../metrics/histogram.ts';
import { platformByName } from '../registry/platforms.ts';
import { captureEnvironment } from '../results/environment.ts';
import { RESULT_SCHEMA_VERSION, type CellResult, type ResultFile } from '../results/schema.ts';
import { defaultMaxMemoryBytes, type Plan, type PlannedCell } from './plan.ts';
import { runCell, unsupportedCell } from './run-cell.ts';
import { scheduleOf } from './measure-load.ts';
import { CLOSED, describeLoad } from '../load/load-spec.ts';

export interface RunnerEvents {
  cellStarted?(cell: PlannedCell, index: number): void;
  runFinished?(cell: PlannedCell): void;
  cellFinished?(cell: PlannedCell, result: CellResult, index: number): void;
}

export interface RunControl {
  /** Aborted with an InterruptedError on SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
  /** The result so far, after every cell (`interrupted: true` until the plan is done). */
  readonly onSnapshot?: (result: ResultFile) => void;
}

/** How long closing an adapter may take before the run goes on without it (a stuck stand-in must not hang the run). */
const CLOSE_TIMEOUT_MS = 10_000;

export function runsInPlan(plan: Plan): number {
  return plan.cells.length * (plan.warmup + measuredPerCell(plan));
}

/** Measured executions of one cell: the repetitions, or what the load schedules. */
function measuredPerCell(plan: Plan): number {
  const schedule = scheduleOf(plan.load ?? CLOSED, plan.repetitions, plan.arrivalsMs);
  if (!schedule) return plan.repetitions;
  return schedule.kind === 'rounds' ? schedule.size * schedule.rounds : schedule.offsetsMs.length;
}

export async function runPlan(plan: Plan, events: RunnerEvents = {}, control: RunControl = {}): Promise<ResultFile> {
  await initHistograms();
  const environment = captureEnvironment(plan.target);
  const adapters = new Map<string, PlatformAdapter>();
  const cells: CellResult[] = [];
  const resultOf = (interrupted: boolean): ResultFile => ({
    schemaVersion: RESULT_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    suite: plan.suite,
    environment,
    options: {
      repetitions: plan.repetitions,
      warmup: plan.warmup,
      ...(plan.cellBudgetSeconds ? { cellBudgetSeconds: plan.cellBudgetSeconds } : {}),
      ...(plan.runTimeoutSeconds ? { runTimeoutSeconds: plan.runTimeoutSeconds } : {}),
      target: plan.target,
      loop: (plan.load ?? CLOSED).mode,
      ...(plan.load && plan.load.mode !== 'closed' ? { load: describeLoad(plan.load) } : {}),
      nodes: plan.nodes,
      platforms: [...plan.platforms],
      workloads: [...plan.workloads],
    },
    cells: [...cells],
    ...(interrupted ? { interrupted: true as const } : {}),
  });
  let interrupted = false;
  try {
    for (const [index, cell] of plan.cells.entries()) {
      if (control.signal?.aborted) throw control.signal.reason;
      let adapter = adapters.get(cell.platform);
      if (!adapter) adapters.set(cell.platform, (adapter = platformByName(cell.platform).create({ nodes: plan.nodes })));
      events.cellStarted?.(cell, index);
      const overMemory = memoryProblem(cell, adapter, plan.maxMemoryBytes ?? defaultMaxMemoryBytes());
      if (overMemory) {
        const refused = unsupportedCell(cell, overMemory);
        cells.push(refused);
        events.cellFinished?.(cell, refused, index);
        control.onSnapshot?.(resultOf(index < plan.cells.length - 1));
        continue;
      }
      let hung = false;
      const result = await runCell(adapter, cell, {
        repetitions: plan.repetitions,
        warmup: plan.warmup,
        cellBudgetSeconds: plan.cellBudgetSeconds,
        runTimeoutSeconds: plan.runTimeoutSeconds,
        target: plan.target,
        faults: plan.faults,
        ...(plan.load ? { load: plan.load } : {}),
        ...(plan.arrivalsMs ? { arrivalsMs: plan.arrivalsMs } : {}),
        onRun: () => events.runFinished?.(cell),
        onHung: () => {
          hung = true;
        },
        ...(control.signal ? { signal: control.signal } : {}),
      });
      if (hung || result.status === 'failed') {
        adapters.delete(cell.platform);
        await closeWithin(adapter, cell.platform);
      }
      cells.push(result);
      events.cellFinished?.(cell, result, index);
      control.onSnapshot?.(resultOf(index < plan.cells.length - 1));
    }
  } catch (error) {
    if (!(error instanceof InterruptedError)) throw error;
    interrupted = true;
  } finally {
    await Promise.all([...adapters].map(([name, adapter]) => closeWithin(adapter, name)));
  }
  return resultOf(interrupted);
}

/**
 * Why a cell's data would not fit in memory on its platform, or undefined: the workload's
 * estimate of what one run holds times the copies the platform keeps (an estimate both
 * ways, said in the reason), against `maxBytes`.
 */
function memoryProblem(cell: PlannedCell, adapter: PlatformAdapter, maxBytes: number): string | undefined {
  const dataBytes = cell.workload.dataBytes?.(cell.params);
  if (dataBytes === undefined) return undefined;
  const copies = adapter.dataCopies ?? 1;
  if (dataBytes * copies <= maxBytes) return undefined;
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`;
  return `needs about ${mb(dataBytes * copies)} of memory at once (${mb(dataBytes)} of data, ${copies} cop${copies === 1 ? 'y' : 'ies'} on ${cell.platform}), over --max-memory ${mb(maxBytes)}`;
}

/** Closes an adapter; one that does not close in time is left behind, with a warning (the run goes on). */
async function closeWithin(adapter: PlatformAdapter, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), CLOSE_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([adapter.close().then(() => 'closed' as const), late]);
    if (outcome === 'late') process.stderr.write(`baton: ${name} did not close within ${CLOSE_TIMEOUT_MS / 1000} s; going on without it\n`);
  } catch (error) {
    // The first error wins: a failure to close is reported, never put in place of a result.
    process.stderr.write(`baton: closing ${name} failed: ${errorMessage(error)}\n`);
  } finally {
    clearTimeout(timer);
  }
}
