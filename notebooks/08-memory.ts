/**
 * Figure 8: latency and cost against memory (`--param memoryMB=...`), per platform and
 * workload: what a memory sweep shows (Lambda's CPU grows with memory, its price too).
 * A cell of a sweep at its platform's default memory has no memoryMB param; it is placed
 * at that default (the platform's setting).
 */
import type { TopLevelSpec } from 'vega-lite';
import { numberParam, type FigureCell } from '../harness/figures/cells.ts';
import { SCHEMA, medianLayers, medianRow, type MedianRow, type Recipe } from '../harness/figures/recipe.ts';
import { platformColor } from '../harness/figures/style.ts';
import { platformSettings } from '../harness/registry/platforms.ts';

/** The cell's params without memoryMB: the sweep it belongs to. */
const sweepOf = (c: FigureCell) =>
  `${c.workload}|${c.platform}|${JSON.stringify(
    Object.entries(c.params)
      .filter(([k]) => k !== 'memoryMB')
      .sort(),
  )}`;

function memoryOf(c: FigureCell): number | undefined {
  const given = numberParam(c, 'memoryMB');
  if (given !== undefined) return given;
  const setting = platformSettings().get(c.platform)?.['memoryMB'];
  return setting && 'min' in setting ? setting.default : undefined;
}

export const memory: Recipe = {
  id: 'memory',
  title: 'Latency and cost vs memory',
  caption:
    "End-to-end latency (median, 95% CI) and $ per million executions of each swept cell against the memory it ran with (--param memoryMB), per platform and workload; log axes. On the AWS platforms the memory also sets the function's CPU share below 1769 MB.",
  build(cells) {
    const ok = cells.filter((c) => c.status === 'ok' && !c.load);
    const swept = new Set(ok.filter((c) => numberParam(c, 'memoryMB') !== undefined).map(sweepOf));
    const inSweep = ok.filter((c) => swept.has(sweepOf(c)) && memoryOf(c) !== undefined);
    if (inSweep.length === 0) return undefined;
    const workloads = new Set(inSweep.map((c) => c.workload));
    const seriesName = (c: FigureCell) => (workloads.size > 1 ? `${c.platform}: ${c.workload}` : c.platform);
    const rows: MedianRow[] = inSweep.flatMap((c) => {
      const m = medianRow(c, 'e2eUs');
      return m ? [{ platform: c.platform, series: seriesName(c), memoryMB: memoryOf(c)!, median: m.p50 / 1000, lo: m.lo / 1000, hi: m.hi / 1000 }] : [];
    });
    const x = { field: 'memoryMB', title: 'memory (MB)', base: 2 };
    const latency = { width: 360, height: 260, ...medianLayers(rows, x, 'end-to-end p50 (ms)') };
    const costs = inSweep.flatMap((c) => (c.cost ? [{ platform: c.platform, series: seriesName(c), memoryMB: memoryOf(c)!, usd: c.cost.usdPerMillion }] : []));
    const cost = {
      width: 360,
      height: 260,
      data: { values: costs },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'memoryMB', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'memory (MB)' },
        y: { field: 'usd', type: 'quantitative', scale: { type: 'log' }, title: '$ per 1M executions (mean of the runs)' },
        color: platformColor(costs.map((r) => r.platform)),
        strokeDash: { field: 'series', type: 'nominal', title: 'series' },
        shape: { field: 'series', type: 'nominal', title: 'series' },
      },
    };
    return {
      $schema: SCHEMA,
      title: this.title,
      hconcat: costs.length > 0 ? [latency, cost] : [latency],
      resolve: { scale: { color: 'shared' } },
    } as TopLevelSpec;
  },
};
