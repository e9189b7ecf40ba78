/**
 * Regression gate: per (workload, params, platform, metric), the ratio of the
 * candidate's median to the baseline's, with a bootstrap 95% confidence interval
 * computed from the stored histograms. A regression is flagged only when the whole
 * interval lies above 1 + threshold: noise that moves the median but not the interval
 * does not fail a build.
 */
import { decodeHistogram, withHistogram } from '../metrics/histogram.ts';
import { median, mulberry32, quantileSample } from '../metrics/summary.ts';
import { cellKey } from '../results/merge.ts';
import type { MetricName, ResultFile } from '../results/schema.ts';

export interface CompareOptions {
  /** Percent: a slowdown the gate tolerates. */
  readonly thresholdPct: number;
  readonly metrics: readonly MetricName[];
}

export interface MetricComparison {
  readonly workload: string;
  readonly platform: string;
  readonly params: Readonly<Record<string, number>>;
  readonly metric: MetricName;
  readonly baselineP50: number;
  readonly candidateP50: number;
  /** Candidate median / baseline median. */
  readonly ratio: number;
  readonly ratioCi95: readonly [number, number];
  readonly verdict: 'regression' | 'improvement' | 'same';
}

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
      const ratio = median(Float64Array.from(sampleB)) / median(Float64Array.from(sampleA));
      const ratioCi95 = bootstrapRatioCi95(sampleA, sampleB);
      const limit = 1 + options.thresholdPct / 100;
      const verdict = ratioCi95[0] > limit ? 'regression' : ratioCi95[1] < 1 / limit ? 'improvement' : 'same';
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
