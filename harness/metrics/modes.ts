/**
 * Whether a latency distribution has two modes (a fast path and a slow one: cache hit or
 * miss, warm or cold, one thread placement or another). The median of such a cell lands on
 * one mode or the other from run to run, so a comparison of medians is fragile there.
 *
 * Values are binned on a log scale (8 bins per doubling) and smoothed over three bins; the
 * distribution is bimodal when two peaks each hold at least MIN_PEAK_SHARE of the values and
 * the lowest point between them falls below VALLEY_RATIO of the smaller peak.
 */
const BINS_PER_DOUBLING = 8;
const MIN_PEAK_SHARE = 0.1;
const VALLEY_RATIO = 0.5;

export function isBimodal(values: readonly number[]): boolean {
  const positive = values.filter((v) => v > 0);
  if (positive.length < 20) return false;
  const logs = positive.map((v) => Math.log2(v) * BINS_PER_DOUBLING);
  const low = Math.floor(Math.min(...logs));
  const counts = new Array<number>(Math.floor(Math.max(...logs)) - low + 1).fill(0);
  for (const l of logs) counts[Math.floor(l) - low]!++;
  const smooth = counts.map((_, i) => ((counts[i - 1] ?? 0) + counts[i]! + (counts[i + 1] ?? 0)) / 3);
  // Peaks: local maxima, with the share of values in the hill around each (down to the valleys on both sides).
  const peaks: { index: number; height: number }[] = [];
  for (let i = 0; i < smooth.length; i++) {
    const left = smooth[i - 1] ?? -1;
    const right = smooth[i + 1] ?? -1;
    if (smooth[i]! > left && smooth[i]! >= right) peaks.push({ index: i, height: smooth[i]! });
  }
  const total = positive.length;
  for (let a = 0; a < peaks.length; a++) {
    for (let b = a + 1; b < peaks.length; b++) {
      const [p, q] = [peaks[a]!, peaks[b]!];
      const valley = Math.min(...smooth.slice(p.index, q.index + 1));
      if (valley >= VALLEY_RATIO * Math.min(p.height, q.height)) continue;
      const valleyAt = p.index + smooth.slice(p.index, q.index + 1).indexOf(valley);
      const below = counts.slice(0, valleyAt).reduce((s, c) => s + c, 0);
      const above = total - below - counts[valleyAt]!;
      if (below >= MIN_PEAK_SHARE * total && above >= MIN_PEAK_SHARE * total) return true;
    }
  }
  return false;
}
