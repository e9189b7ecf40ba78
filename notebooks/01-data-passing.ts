/** Figure 1: data-passing latency vs payload size, per platform (Pheromone's data-exchange figure, SeBS-Flow's invocation latency). */
import { okCells } from '../harness/figures/cells.ts';
import { SCHEMA, medianRow, type Recipe } from '../harness/figures/recipe.ts';

export const dataPassing: Recipe = {
  id: 'data-passing',
  title: 'Data-passing latency vs payload size',
  caption: 'Median transition (a function\'s start minus its parent\'s end) of the chain workload, per payload size and platform, with the 95% CI of the median. Log-log.',
  build(cells) {
    const rows = okCells(cells, 'chain').flatMap((c) => {
      const m = medianRow(c, 'transitionUs');
      return m && c.params['payloadBytes'] !== undefined ? [{ platform: c.platform, payloadBytes: Math.max(1, c.params['payloadBytes']), ...m }] : [];
    });
    if (rows.length === 0) return undefined;
    const x = { field: 'payloadBytes', type: 'quantitative', scale: { type: 'log' }, title: 'payload (bytes)' } as const;
    return {
      $schema: SCHEMA, title: this.title, width: 420, height: 280, data: { values: rows },
      layer: [
        { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'p50', type: 'quantitative', scale: { type: 'log' }, title: 'transition p50 (µs)' }, color: { field: 'platform', type: 'nominal' } } },
        { mark: 'rule', encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { field: 'platform', type: 'nominal' } } },
      ],
    };
  },
};
