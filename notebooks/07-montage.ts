/** Figure 7: Montage (and any WfCommons trace) makespan vs critical path per platform. */
import { okCells } from '../harness/figures/cells.ts';
import { panelBars, type Recipe } from '../harness/figures/recipe.ts';

export const montage: Recipe = {
  id: 'montage',
  title: 'Montage: makespan vs critical path',
  caption:
    'Median makespan (end-to-end) next to the median critical path of the replayed tasks, with their 95% CIs, per platform; the gap is what the platform adds to the DAG.',
  build(cells) {
    const ok = okCells(cells, (name) => name === 'montage' || name.startsWith('wfformat:'));
    return panelBars(
      this.title,
      ok,
      (c) =>
        (
          [
            ['makespan', c.summary.e2eUs],
            ['critical path', c.summary.criticalPathUs],
          ] as const
        ).flatMap(([measure, s]) => (s ? [{ measure, value: s.p50 / 1000, lo: s.medianCi95[0] / 1000, hi: s.medianCi95[1] / 1000 }] : [])),
      { xTitle: 'median (ms)', colorBy: 'measure' },
    );
  },
};
