/**
 * Regression gate: per (workload, params, platform, metric), the ratio of the
 * candidate's median to the baseline's, with a bootstrap 95% confidence interval. A
 * regression is flagged only when the whole interval lies above 1 + threshold.
 *
 * Where both sides hold at least MIN_ROUNDS independent runs (rounds, as `baton ab` and
 * merged files keep them), the ratio and its interval come from the rounds' medians
 * (a bootstrap over rounds): that interval includes the run-to-run variation. With fewer,
 * the interval is a bootstrap over the executions of one run, which cannot see it; the
 * comparison says so (`basis: 'single run'`), and the CLI refuses a threshold below the
 * run-to-run noise measured on this kind of machine (SINGLE_RUN_NOISE_PCT).
 */
import { decodeHistogram, withHistogram } from '../metrics/histogram.ts';
import { median, mulberry32, quantileSample } from '../metrics/summary.ts';
import { cellKey } from '../results/merge.ts';
import type { CellResult, MetricName, ResultFile } from '../results/schema.ts';
import { isBimodal } from '../metrics/modes.ts';
import { coefficientOfVariationPct, MIN_ROUNDS, minimumDetectableEffectPct } from './run-to-run.ts';

export interface CompareOptions {
  /** Percent: a slowdown the gate tolerates. */
  readonly thresholdPct: number;
  readonly metrics: readonly MetricName[];
  /** Compare single runs at a threshold below SINGLE_RUN_NOISE_PCT anyway (the verdicts then include run-to-run noise). */
  readonly acceptSingleRun?: boolean;
}

/**
 * How far apart two single smoke runs of unchanged code came on 2-vCPU VMs: in eight A/A
 * runs the lower bound of the within-run 95% CI of the ratio reached 1.90
 * (results/baseline/aa-runs.md). A threshold below this flags noise as a regression.
 */
export const SINGLE_RUN_NOISE_PCT = 90;

export interface MetricComparison {
  readonly workload: string;
  readonly platform: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly metric: MetricName;
  readonly baselineP50: number;
  readonly candidateP50: number;
  /** Candidate median / baseline median. */
  readonly ratio: number;
  /** Over rounds where both sides have MIN_ROUNDS of them, else over one run's executions. */
  readonly ratioCi95: readonly [number, number];
  readonly verdict: 'regression' | 'improvement' | 'same';
  readonly basis: 'rounds' | 'single run';
  readonly rounds: { readonly baseline: number; readonly candidate: number };
  /** The bootstrap over executions within the runs, kept as a secondary figure. */
  readonly withinRunCi95: readonly [number, number];
  /** Run-to-run coefficient of variation of each side's round medians, percent (with 2 or more rounds). */
  readonly runToRunCvPct?: { readonly baseline: number; readonly candidate: number };
  /** The smallest slowdown these rounds could detect (α 0.05, power 0.8), percent. */
  readonly minimumDetectablePct?: number;
  /** A side whose values have two modes: its median can land on either, so the ratio is fragile. */
  readonly bimodal: { readonly baseline: boolean; readonly candidate: boolean };
}

const roundsOf = (cell: CellResult, metric: MetricName): number[] => cell.rounds?.[metric] ?? (cell.summary[metric] ? [cell.summary[metric]!.p50] : []);

const ITERATIONS = 1000;
const MAX_SAMPLE = 2000;

export function compareResults(baseline: ResultFile, candidate: ResultFile, options: CompareOptions): MetricComparison[] {
  const base = new Map(baseline.cells.filter((c) => c.status === 'ok').map((c) => [cellKey(c), c]));
  const out: MetricComparison[] = [];
  for (const cell of candidate.cells) {
    const before = base.get(cellKey(cell));
    if (!before || cell.status !== 'ok') continue;
    for (const metric of options.metrics) {
      const [a, b] = [before.histograms[metric], cell.histograms[metric]];
      if (!a || !b) continue;
      const sampleA = withHistogram(decodeHistogram(a), (h) => quantileSample(h, Math.min(h.totalCount, MAX_SAMPLE)));
      const sampleB = withHistogram(decodeHistogram(b), (h) => quantileSample(h, Math.min(h.totalCount, MAX_SAMPLE)));
      const withinRunCi95 = bootstrapRatioCi95(sampleA, sampleB);
      const [roundsA, roundsB] = [roundsOf(before, metric), roundsOf(cell, metric)];
      const overRounds = roundsA.length >= MIN_ROUNDS && roundsB.length >= MIN_ROUNDS;
      const ratio = overRounds
        ? median(Float64Array.from(roundsB)) / median(Float64Array.from(roundsA))
        : median(Float64Array.from(sampleB)) / median(Float64Array.from(sampleA));
      const ratioCi95 = overRounds ? bootstrapRatioCi95(roundsA, roundsB) : withinRunCi95;
      const limit = 1 + options.thresholdPct / 100;
      const verdict = ratioCi95[0] > limit ? 'regression' : ratioCi95[1] < 1 / limit ? 'improvement' : 'same';
      const spread = roundsA.length >= 2 && roundsB.length >= 2;
      out.push({
        workload: cell.workload,
        platform: cell.platform,
        params: cell.params,
        metric,
        baselineP50: median(Float64Array.from(sampleA)),
        candidateP50: median(Float64Array.from(sampleB)),
        ratio,
        ratioCi95,
        verdict,
        basis: overRounds ? 'rounds' : 'single run',
        rounds: { baseline: roundsA.length, candidate: roundsB.length },
        withinRunCi95,
        bimodal: { baseline: isBimodal(sampleA), candidate: isBimodal(sampleB) },
        ...(spread
          ? {
              runToRunCvPct: { baseline: coefficientOfVariationPct(roundsA), candidate: coefficientOfVariationPct(roundsB) },
              minimumDetectablePct: minimumDetectableEffectPct(roundsA, roundsB),
            }
          : {}),
      });
    }
  }
  return out;
}

/** Percentile bootstrap of median(b) / median(a), each resampled with replacement. */
export function bootstrapRatioCi95(a: readonly number[], b: readonly number[], seed = 0xc0ffee): [number, number] {
  const random = mulberry32(seed);
  const ra = new Float64Array(a.length);
  const rb = new Float64Array(b.length);
  const ratios = new Float64Array(ITERATIONS);
  for (let it = 0; it < ITERATIONS; it++) {
    for (let i = 0; i < a.length; i++) ra[i] = a[Math.floor(random() * a.length)]!;
    for (let i = 0; i < b.length; i++) rb[i] = b[Math.floor(random() * b.length)]!;
    ratios[it] = median(rb) / median(ra);
  }
  ratios.sort();
  return [ratios[Math.floor(0.025 * (ITERATIONS - 1))]!, ratios[Math.ceil(0.975 * (ITERATIONS - 1))]!];
}
