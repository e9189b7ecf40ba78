/** Figure 5: orchestration overhead vs workflow size: critical path of user code and the overhead on top (SeBS-Flow style). */
import { panelBars, type Recipe } from '../harness/figures/recipe.ts';

export const overhead: Recipe = {
  id: 'overhead',
  title: 'Critical path and orchestration overhead',
  caption:
    "Per cell, the median critical path of user code and the median overhead (end-to-end minus critical path), side by side with their 95% CIs: how much of a workflow's latency the platform adds as the workflow grows. One panel per workload and params, in numeric order.",
  build(cells) {
    const ok = cells.filter((c) => c.status === 'ok' && !c.load && c.summary.criticalPathUs && c.summary.overheadUs);
    return panelBars(
      this.title,
      ok,
      (c) =>
        (
          [
            ['critical path', c.summary.criticalPathUs!],
            ['overhead', c.summary.overheadUs!],
          ] as const
        ).map(([measure, s]) => ({ measure, value: s.p50 / 1000, lo: s.medianCi95[0] / 1000, hi: s.medianCi95[1] / 1000 })),
      { xTitle: 'median (ms)', colorBy: 'measure' },
    );
  },
};
