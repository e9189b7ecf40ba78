/**
 * Run-to-run statistics: what a comparison can say when each side has several independent
 * runs (rounds: separate processes, interleaved), from their medians. The variation between
 * runs (thread placement, JIT state, CPU frequency, neighbours on the host) dominates on a
 * shared machine, and a bootstrap over the executions within one run cannot see it.
 */

/** Fewest rounds per side for a comparison over rounds; with fewer it falls back to one run's executions. */
export const MIN_ROUNDS = 3;

export function coefficientOfVariationPct(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return (100 * Math.sqrt(variance)) / mean;
}

/** Two-sided Student t quantiles at 0.975 (α = 0.05) and one-sided at 0.8 (power), by degrees of freedom. */
const T_975 = [
  Number.NaN,
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.16,
  2.145,
  2.131,
  2.12,
  2.11,
  2.101,
  2.093,
  2.086,
];
const T_80 = [
  Number.NaN,
  1.376,
  1.061,
  0.978,
  0.941,
  0.92,
  0.906,
  0.896,
  0.889,
  0.883,
  0.879,
  0.876,
  0.873,
  0.87,
  0.868,
  0.866,
  0.865,
  0.863,
  0.862,
  0.861,
  0.86,
];
const quantile = (table: readonly number[], df: number, limit: number): number => (df < table.length ? table[df]! : limit);

/**
 * The smallest slowdown, percent, that a two-sample t test on log round medians detects at
 * α = 0.05 with 80% power, given the pooled run-to-run spread of both sides.
 */
export function minimumDetectableEffectPct(baseline: readonly number[], candidate: readonly number[]): number {
  const n = Math.min(baseline.length, candidate.length);
  if (n < 2) return Number.NaN;
  const logs = (values: readonly number[]) => values.map(Math.log);
  const variance = (values: readonly number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  };
  const pooledSd = Math.sqrt((variance(logs(baseline)) + variance(logs(candidate))) / 2);
  const df = baseline.length + candidate.length - 2;
  const effect = (quantile(T_975, df, 1.96) + quantile(T_80, df, 0.842)) * pooledSd * Math.sqrt(2 / n);
  return 100 * (Math.exp(effect) - 1);
}
