/** Figure 3: fan-out/fan-in latency vs number of branches, per platform (Unum's parallel figure). */
import { okCells } from '../harness/figures/cells.ts';
import { SCHEMA, medianRow, type Recipe } from '../harness/figures/recipe.ts';

export const fanout: Recipe = {
  id: 'fanout',
  title: 'Fan-out/fan-in latency vs branches',
  caption: 'End-to-end latency (median, 95% CI) of the fanout workload against its width, per platform.',
  build(cells) {
    const rows = okCells(cells, 'fanout').flatMap((c) => {
      const m = medianRow(c, 'e2eUs');
      return m && c.params['width'] !== undefined ? [{ platform: c.platform, width: c.params['width'], ms: m.p50 / 1000, lo: m.lo / 1000, hi: m.hi / 1000 }] : [];
    });
    if (rows.length === 0) return undefined;
    const x = { field: 'width', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'branches' } as const;
    return {
      $schema: SCHEMA, title: this.title, width: 420, height: 280, data: { values: rows },
      layer: [
        { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'end-to-end p50 (ms)' }, color: { field: 'platform', type: 'nominal' } } },
        { mark: 'rule', encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { field: 'platform', type: 'nominal' } } },
      ],
    };
  },
};
