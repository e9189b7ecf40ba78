/** `baton run`: plan, run with progress, write the result file, print a summary. */
import { existsSync, rmSync } from 'node:fs';
import { InputError, InterruptedError } from '../model/errors.ts';
import type { Target } from '../model/index.ts';
import { planRun } from '../runner/plan.ts';
import { parseParamArgs } from '../runner/params.ts';
import { runPlan, runsInPlan } from '../runner/runner.ts';
import { writeResultFile } from '../results/io.ts';
import { checkWritable, reserveResultFile } from '../results/output-file.ts';
import { sweepStaleTempDirs } from '../adapter-kit/index.ts';
import type { CellResult, LatencySummaryJson, ResultFile } from '../results/schema.ts';
import { formatParams, formatUs, table } from './format.ts';
import { STORAGE_HEADER, storageRows } from '../results/storage-rows.ts';
import { progressReporter } from './progress.ts';

export interface RunCommandOptions {
  suite: string;
  platform?: string;
  workload?: string;
  param: string[];
  repetitions?: number;
  warmup?: number;
  cellBudget?: number;
  runTimeout?: number;
  maxMemory?: number;
  target: string;
  inject?: string;
  nodes: number;
  load: string;
  duration?: string;
  traceMinute?: string;
  traceScale?: number;
  traceFunction?: number;
  out?: string;
  json: boolean;
}

/** Returns the exit code: 0 when every cell is ok or unsupported, 1 when one failed. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  if (options.target !== 'local' && options.target !== 'cloud') {
    throw new InputError('E_BAD_INPUT', `--target ${options.target}: expected local or cloud`);
  }
  sweepStaleTempDirs(); // what runs killed -9 left behind
  const plan = planRun({
    suite: options.suite,
    platforms: splitList(options.platform),
    workloads: splitList(options.workload),
    params: parseParamArgs(options.param),
    repetitions: options.repetitions,
    warmup: options.warmup,
    cellBudgetSeconds: options.cellBudget,
    runTimeoutSeconds: options.runTimeout,
    maxMemoryMB: options.maxMemory,
    target: options.target as Target,
    inject: parseInject(options.inject),
    nodes: options.nodes,
    load: {
      load: options.load,
      ...(options.duration !== undefined ? { duration: options.duration } : {}),
      ...(options.traceMinute !== undefined ? { traceMinute: options.traceMinute } : {}),
      ...(options.traceScale !== undefined ? { traceRateScale: options.traceScale } : {}),
      ...(options.traceFunction !== undefined ? { traceFunction: options.traceFunction } : {}),
    },
  });
  // The result file is settled before anything runs, and rewritten after every cell; a file
  // that was there before (an --out given again) is replaced only by a finished run: until
  // then the cells go to NAME.partial.json beside it.
  const outFile = options.out === undefined ? reserveResultFile('results/runs', plan.suite) : checkWritable(options.out);
  const snapshotFile = options.out !== undefined && existsSync(outFile) ? `${outFile.replace(/\.json$/, '')}.partial.json` : outFile;
  const interrupt = interruptOnSignals();
  const progress = progressReporter(runsInPlan(plan), plan.cells.length);
  let result: ResultFile;
  let snapshots = 0;
  try {
    result = await runPlan(plan, progress, {
      signal: interrupt.signal,
      onSnapshot: (snapshot) => {
        writeResultFile(snapshotFile, snapshot);
        snapshots++;
      },
    });
  } catch (error) {
    // Stopped before any cell finished (bad input found by the first deploy): leave no empty file behind.
    if (snapshots === 0 && options.out === undefined) rmSync(outFile, { force: true });
    throw error;
  } finally {
    progress.stop();
    interrupt.stop();
  }
  const written = result.interrupted ? snapshotFile : outFile;
  writeResultFile(written, result);
  if (written !== snapshotFile) rmSync(snapshotFile, { force: true });
  const storage = storageRows(result.cells);
  const loaded = loadRows(result.cells);
  const summary =
    summaryTable(result.cells) +
    (loaded.length > 0 ? `\n\nunder --load ${result.options.load}:\n${table([[...LOAD_HEADER], ...loaded])}` : '') +
    (storage.length > 0 ? `\n\nstorage for functions, per run (ctx.storage, ctx.nosql):\n${table([[...STORAGE_HEADER], ...storage])}` : '');
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ resultFile: written, cells: result.cells.map(jsonCell), ...(result.interrupted ? { interrupted: true } : {}) })}\n`,
    );
    process.stderr.write(`${summary}\n`);
  } else {
    process.stdout.write(`${summary}\n\nresult file: ${written}\nfigures and report: npx baton figures ${written}\n`);
  }
  for (const cell of result.cells)
    if (cell.teardownError)
      process.stderr.write(
        `baton: warning: the deployment of ${cell.workload} @ ${cell.platform} was not removed: ${cell.teardownError} (npx baton cleanup removes what Baton left)\n`,
      );
  const signal = interrupt.received();
  if (signal) {
    process.stderr.write(`baton: interrupted by ${signal}: ${result.cells.length} of ${plan.cells.length} cells finished and kept in ${written}\n`);
    return new InterruptedError(signal).exitCode;
  }
  return result.cells.some((cell) => cell.status === 'failed') ? 1 : 0;
}

/**
 * SIGINT/SIGTERM abort the run (the runner keeps what it finished and stops every child);
 * a second signal exits at once.
 */
function interruptOnSignals(): { signal: AbortSignal; received(): NodeJS.Signals | undefined; stop(): void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) process.exit(new InterruptedError(signal).exitCode);
    received = signal;
    process.stderr.write(`\nbaton: ${signal}: stopping (finished cells are kept; send it again to quit at once)\n`);
    controller.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    stop: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function splitList(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function parseInject(text: string | undefined): Map<string, number> {
  const faults = new Map<string, number>();
  for (const item of splitList(text) ?? []) {
    const [name, p] = item.split('=');
    const probability = Number(p);
    if (!name || p === undefined || p === '' || !Number.isFinite(probability)) {
      throw new InputError('E_BAD_INPUT', `--inject ${item}: expected FAULT=PROBABILITY, e.g. duplicate=0.3`);
    }
    faults.set(name, probability);
  }
  return faults;
}

const EMPTY_SUMMARY = { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, count: 0 };

function jsonLatency(summary: LatencySummaryJson | undefined): typeof EMPTY_SUMMARY {
  if (!summary) return EMPTY_SUMMARY;
  const { p50, p90, p99, p999, max, count } = summary;
  return { p50, p90, p99, p999, max, count };
}

/** One cell as `baton run --json` prints it: a public contract (DESIGN.md §7). */
function jsonCell(cell: CellResult): Record<string, unknown> {
  return {
    workload: cell.workload,
    platform: cell.platform,
    params: cell.params,
    status: cell.status,
    ...(cell.status === 'ok' ? {} : { reason: cell.reason }),
    verified: cell.verified,
    e2eUs: jsonLatency(cell.summary.e2eUs),
    ...(cell.summary.transitionUs ? { transitionUs: jsonLatency(cell.summary.transitionUs) } : {}),
    ...(cell.cost ? { costUsdPerMillion: cell.cost.usdPerMillion } : {}),
    ...(cell.costUnavailable ? { costUnavailable: cell.costUnavailable } : {}),
    ...(cell.region ? { region: cell.region } : {}),
    ...(cell.faults ? { faults: cell.faults } : {}),
  };
}

function summaryTable(cells: readonly CellResult[]): string {
  const rows = cells.map((cell) => {
    const e2e = cell.summary.e2eUs;
    const transition = cell.summary.transitionUs;
    return [
      cell.workload,
      formatParams(cell.params),
      cell.platform,
      cell.status === 'ok' ? (cell.verified ? 'ok ✓' : 'ok') : cell.status,
      e2e ? formatUs(e2e.p50) : '',
      e2e ? `${formatUs(e2e.medianCi95[0])}–${formatUs(e2e.medianCi95[1])}` : '',
      e2e ? formatUs(e2e.p99) : '',
      cell.summary.criticalPathUs ? formatUs(cell.summary.criticalPathUs.p50) : '',
      transition ? formatUs(transition.p50) : '',
      transition ? formatUs(transition.p99) : '',
      cell.cost ? `$${cell.cost.usdPerMillion.toFixed(2)}` : cell.costUnavailable ? `no price (${cell.region})` : '',
      String(cell.runs.measured),
      cell.status !== 'ok'
        ? truncate(cell.reason, 80)
        : cell.load?.failed
          ? truncate(`${cell.load.failed} of ${cell.load.scheduled} failed under the load: ${cell.load.firstError ?? ''}`, 80)
          : '',
    ];
  });
  return table([
    ['workload', 'params', 'platform', 'status', 'e2e p50', 'p50 95% CI', 'e2e p99', 'crit p50', 'trans p50', 'trans p99', '$/1M', 'runs', 'note'],
    ...rows,
  ]);
}

const LOAD_HEADER = ['workload', 'params', 'platform', 'scheduled', 'completed', 'failed', 'offered/s', 'achieved/s', 'start lag p99', 'first error'] as const;

/** The cells measured under a load other than closed: what was asked of the platform, and what it did. */
function loadRows(cells: readonly CellResult[]): string[][] {
  return cells.flatMap((cell) => {
    const load = cell.load;
    if (!load) return [];
    return [
      [
        cell.workload,
        formatParams(cell.params),
        cell.platform,
        String(load.scheduled),
        String(load.completed),
        String(load.failed),
        load.offeredPerSec?.toFixed(1) ?? '–',
        load.achievedPerSec.toFixed(1),
        formatUs(load.startLagUs.p99),
        truncate(load.firstError ?? '', 60),
      ],
    ];
  });
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
