/** Figure 6: Yahoo streaming window latency CDF per platform. */
import { cdfOf, okCells } from '../harness/figures/cells.ts';
import { SCHEMA, type Recipe } from '../harness/figures/recipe.ts';
import { platformColor } from '../harness/figures/style.ts';

export const yahooWindows: Recipe = {
  id: 'yahoo-windows',
  title: 'Yahoo streaming: window latency (CDF)',
  caption: 'Per window, the time its count was written minus when its last event was available, over every measured run, per platform.',
  build(cells) {
    const rows = okCells(cells, 'yahoo').flatMap((c) =>
      cdfOf(c, 'windowLatencyUs').map((p) => ({ platform: c.platform, ms: p.valueUs / 1000, fraction: p.fraction })),
    );
    if (rows.length === 0) return undefined;
    return {
      $schema: SCHEMA,
      title: this.title,
      width: 420,
      height: 280,
      data: { values: rows },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'window latency (ms)' },
        y: { field: 'fraction', type: 'quantitative', title: 'fraction of windows' },
        color: platformColor(rows.map((r) => r.platform)),
      },
    };
  },
};
