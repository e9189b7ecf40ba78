/** Figure 2: transition overhead of a chain, per platform, as distributions (CDF from the HDR histograms). */
import { cdfOf, numberParam, okCells } from '../harness/figures/cells.ts';
import { SCHEMA, type Recipe } from '../harness/figures/recipe.ts';
import { platformColor, seriesOf } from '../harness/figures/style.ts';

export const transitionCdf: Recipe = {
  id: 'transition-cdf',
  title: 'Transition overhead of a chain (CDF)',
  caption: 'Distribution of every transition of the chain workload at its smallest payload, per platform, read from the stored HDR histograms.',
  build(cells) {
    const chains = okCells(cells, 'chain').filter((c) => c.histograms.transitionUs);
    if (chains.length === 0) return undefined;
    const smallest = Math.min(...chains.map((c) => numberParam(c, 'payloadBytes') ?? 0));
    const rows = chains
      .filter((c) => (numberParam(c, 'payloadBytes') ?? 0) === smallest)
      .flatMap((c) => cdfOf(c, 'transitionUs').map((p) => ({ platform: c.platform, series: seriesOf(c), ...p })));
    return {
      $schema: SCHEMA,
      title: `${this.title}, ${smallest} B payload`,
      width: 420,
      height: 280,
      data: { values: rows },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'valueUs', type: 'quantitative', scale: { type: 'log' }, title: 'transition (µs)' },
        y: { field: 'fraction', type: 'quantitative', title: 'fraction of transitions' },
        color: platformColor(rows.map((r) => r.platform)),
        strokeDash: { field: 'series', type: 'nominal', title: 'series' },
      },
    };
  },
};
