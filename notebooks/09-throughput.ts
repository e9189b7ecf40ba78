/**
 * Figure 9: tail latency against load: the p99 end-to-end latency of open-loop cells
 * (`--load open:RATE/s`, one run per rate) against the rate each achieved, per platform
 * and workload (a p99 has no interval here: the summaries bootstrap the median only). The
 * highest rate whose p99 stays under a bound is what a platform sustains.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { FigureCell } from '../harness/figures/cells.ts';
import { SCHEMA, type Recipe } from '../harness/figures/recipe.ts';
import { platformColor } from '../harness/figures/style.ts';

export const throughput: Recipe = {
  id: 'throughput',
  title: 'Tail latency vs open-loop rate',
  caption:
    'p99 end-to-end latency, counted from each execution’s scheduled start, of cells run under --load open:RATE/s, against the rate they achieved; one line per platform and workload, log axes; p99s carry no interval (Baton bootstraps medians only). Failed executions under the load are not in the p99 (the cell says how many there were).',
  build(cells) {
    const open = cells.filter((c): c is FigureCell & { load: NonNullable<FigureCell['load']> } => c.status === 'ok' && c.load?.mode === 'open');
    const rows = open.flatMap((c) =>
      c.summary.e2eUs
        ? [
            {
              platform: c.platform,
              series: `${c.platform}: ${c.workload}`,
              rate: c.load.achievedPerSec,
              p99: c.summary.e2eUs.p99 / 1000,
              failed: c.load.failed,
            },
          ]
        : [],
    );
    // One rate is a point, not a curve: the figure needs a sweep.
    if (new Set(rows.map((r) => r.rate)).size < 2) return undefined;
    return {
      $schema: SCHEMA,
      title: this.title,
      width: 420,
      height: 280,
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'rate', type: 'quantitative', scale: { type: 'log' }, title: 'achieved rate (executions/s)' },
        y: { field: 'p99', type: 'quantitative', scale: { type: 'log' }, title: 'end-to-end p99 (ms)' },
        color: platformColor(rows.map((r) => r.platform)),
        strokeDash: { field: 'series', type: 'nominal', title: 'series' },
        tooltip: [{ field: 'series' }, { field: 'rate' }, { field: 'p99' }, { field: 'failed' }],
      },
    } as TopLevelSpec;
  },
};
