/**
 * The regression gate over two result files: the metric comparisons of compare.ts, plus
 * what makes a gate unable to pass by accident:
 * - a candidate cell that failed (or that the baseline ran and the candidate cannot) is a
 *   regression, whatever its metrics;
 * - two files that share no comparable cell, or no metric, are an error (exit 2) that says
 *   what each file holds: nothing was compared, so nothing passed;
 * - a file with the same cell twice is refused, naming it (which of the two would count?).
 */
import { InputError } from '../model/errors.ts';
import { cellKey } from '../results/merge.ts';
import type { CellResult, ResultFile } from '../results/schema.ts';
import { compareResults, type CompareOptions, type MetricComparison, SINGLE_RUN_NOISE_PCT } from './compare.ts';
import { MIN_ROUNDS } from './run-to-run.ts';

export interface CandidateFailure {
  readonly workload: string;
  readonly platform: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly status: 'failed' | 'unsupported';
  readonly reason: string;
}

export interface GateResult {
  readonly comparisons: readonly MetricComparison[];
  /** Candidate cells that failed, or that were ok in the baseline and are unsupported now. */
  readonly failures: readonly CandidateFailure[];
  readonly regressions: number;
}

export function gate(baseline: { file: string; result: ResultFile }, candidate: { file: string; result: ResultFile }, options: CompareOptions): GateResult {
  refuseDuplicates(baseline.file, baseline.result);
  refuseDuplicates(candidate.file, candidate.result);
  const before = new Map(baseline.result.cells.map((c) => [cellKey(c), c]));
  const failures: CandidateFailure[] = [];
  for (const cell of candidate.result.cells) {
    if (cell.status === 'ok') continue;
    const was = before.get(cellKey(cell));
    if (cell.status === 'failed' || was?.status === 'ok') {
      failures.push({ workload: cell.workload, platform: cell.platform, params: cell.params, status: cell.status, reason: cell.reason });
    }
  }
  const comparisons = compareResults(baseline.result, candidate.result, options);
  if (comparisons.length === 0 && failures.length === 0) {
    throw new InputError(
      'E_BAD_INPUT',
      `nothing to compare for ${options.metrics.join(', ')}: no cell is ok in both files with the same workload, params and platform and that metric.\n` +
        `  ${baseline.file}: ${describe(baseline.result.cells)}\n  ${candidate.file}: ${describe(candidate.result.cells)}`,
    );
  }
  refuseSingleRunsBelowNoise(baseline.file, candidate.file, comparisons, options);
  return { comparisons, failures, regressions: failures.length + comparisons.filter((r) => r.verdict === 'regression').length };
}

/**
 * One run per side cannot separate a change from run-to-run noise: below the noise measured
 * between single runs, such a comparison is refused (exit 2), saying what to do instead.
 */
function refuseSingleRunsBelowNoise(baselineFile: string, candidateFile: string, comparisons: readonly MetricComparison[], options: CompareOptions): void {
  if (options.acceptSingleRun || options.thresholdPct >= SINGLE_RUN_NOISE_PCT) return;
  const single = comparisons.filter((c) => c.basis === 'single run');
  if (single.length === 0) return;
  const fewest = Math.min(...single.map((c) => Math.min(c.rounds.baseline, c.rounds.candidate)));
  throw new InputError(
    'E_BAD_INPUT',
    `--threshold ${options.thresholdPct}: ${single.length} of ${comparisons.length} comparisons rest on ${fewest === 1 ? 'a single run' : `${fewest} runs`} per side ` +
      `(${baselineFile}, ${candidateFile}), which cannot separate a change from run-to-run noise: two single runs of unchanged code ` +
      `differ by up to ${SINGLE_RUN_NOISE_PCT}% on a 2-vCPU VM (results/baseline/aa-runs.md). ` +
      `Compare files with at least ${MIN_ROUNDS} rounds each (baton ab --rounds ${MIN_ROUNDS}, or node scripts/merge-results.ts over separate runs), ` +
      `or use --threshold ${SINGLE_RUN_NOISE_PCT} or more, or --accept-single-run to compare them anyway.`,
  );
}

function refuseDuplicates(file: string, result: ResultFile): void {
  const seen = new Map<string, number>();
  for (const cell of result.cells) seen.set(cellKey(cell), (seen.get(cellKey(cell)) ?? 0) + 1);
  const twice = result.cells.filter((c, i) => (seen.get(cellKey(c)) ?? 0) > 1 && result.cells.findIndex((d) => cellKey(d) === cellKey(c)) === i);
  if (twice.length > 0) {
    throw new InputError(
      'E_BAD_RESULT_FILE',
      `${file}: cells: the same cell appears more than once (${twice.map(label).join('; ')}); a gate cannot tell which counts (merge rounds with baton ab)`,
    );
  }
}

function describe(cells: readonly CellResult[]): string {
  if (cells.length === 0) return 'no cells';
  const shown = cells.slice(0, 6).map((c) => `${label(c)} [${c.status}${c.status === 'ok' ? `: ${Object.keys(c.histograms).join(', ')}` : ''}]`);
  return `${cells.length} cell${cells.length === 1 ? '' : 's'}: ${shown.join('; ')}${cells.length > 6 ? '; ...' : ''}`;
}

function label(cell: Pick<CellResult, 'workload' | 'platform' | 'params'>): string {
  const params = Object.entries(cell.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${cell.workload}${params ? ` ${params}` : ''} @ ${cell.platform}`;
}
