/**
 * Percentiles and a bootstrap 95% confidence interval of the median, computed from a
 * histogram alone, so they can be recomputed from any stored result.
 */
import type { Histogram } from './histogram.ts';

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly count: number;
  /** Bootstrap 95% confidence interval of the median, in the histogram's unit. */
  readonly medianCi95: [number, number];
}

const BOOTSTRAP_ITERATIONS = 1000;
/**
 * Histograms with more values than this are bootstrapped from an evenly spaced
 * quantile sample of this size; the interval is then wider (more conservative) than
 * the full count would give, never narrower.
 */
const BOOTSTRAP_MAX_SAMPLE = 4000;
const BOOTSTRAP_SEED = 0x5eed;

export function summarize(histogram: Histogram): LatencySummary {
  return {
    p50: histogram.getValueAtPercentile(50),
    p90: histogram.getValueAtPercentile(90),
    p99: histogram.getValueAtPercentile(99),
    p999: histogram.getValueAtPercentile(99.9),
    // Not `maxValue`: that is exact only until the histogram is encoded; this is the same before and after.
    max: histogram.getValueAtPercentile(100),
    count: histogram.totalCount,
    medianCi95: bootstrapMedianCi95(quantileSample(histogram, Math.min(histogram.totalCount, BOOTSTRAP_MAX_SAMPLE))),
  };
}

/** `n` values that follow the histogram's distribution: its quantiles at (i + 0.5) / n. */
export function quantileSample(histogram: Histogram, n: number): number[] {
  return Array.from({ length: n }, (_, i) => histogram.getValueAtPercentile(((i + 0.5) / n) * 100));
}

/** Percentile bootstrap of the median: resample with replacement, take the 2.5th and 97.5th percentiles. */
export function bootstrapMedianCi95(sample: readonly number[], iterations = BOOTSTRAP_ITERATIONS, seed = BOOTSTRAP_SEED): [number, number] {
  if (sample.length === 0) return [0, 0];
  const random = mulberry32(seed);
  const medians = new Float64Array(iterations);
  const resample = new Float64Array(sample.length);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < sample.length; i++) resample[i] = sample[Math.floor(random() * sample.length)]!;
    medians[it] = median(resample);
  }
  medians.sort();
  return [medians[Math.floor(0.025 * (iterations - 1))]!, medians[Math.ceil(0.975 * (iterations - 1))]!];
}

/** Median by quickselect; reorders `values`. */
export function median(values: Float64Array): number {
  const n = values.length;
  const upper = select(values, Math.floor(n / 2));
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < Math.floor(n / 2); i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

function select(values: Float64Array, k: number): number {
  let [lo, hi] = [0, values.length - 1];
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let [i, j] = [lo, hi];
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
