/** Figure 3: fan-out/fan-in latency vs number of branches, per platform (Unum's parallel figure). */
import { numberParam, okCells } from '../harness/figures/cells.ts';
import { seriesOf } from '../harness/figures/style.ts';
import { medianLines, medianRow, type Recipe } from '../harness/figures/recipe.ts';

export const fanout: Recipe = {
  id: 'fanout',
  title: 'Fan-out/fan-in latency vs branches',
  caption: 'End-to-end latency (median, 95% CI) of the fanout workload against its width, per platform.',
  build(cells) {
    const rows = okCells(cells, 'fanout').flatMap((c) => {
      const m = medianRow(c, 'e2eUs');
      const width = numberParam(c, 'width');
      return m && width !== undefined ? [{ platform: c.platform, series: seriesOf(c), width, median: m.p50 / 1000, lo: m.lo / 1000, hi: m.hi / 1000 }] : [];
    });
    return rows.length === 0 ? undefined : medianLines(this.title, rows, { field: 'width', title: 'branches', base: 2 }, 'end-to-end p50 (ms)');
  },
};
