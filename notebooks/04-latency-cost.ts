/** Figure 4: end-to-end latency and $ per 1M executions per application and platform (Unum's table, as grouped bars). */
import { cellLabel, type FigureCell } from '../harness/figures/cells.ts';
import { panelBars, type Recipe } from '../harness/figures/recipe.ts';

export function latencyCostRows(cells: readonly FigureCell[]): { cell: string; platform: string; e2eMs: number; usdPerMillion: number | null }[] {
  return cells
    .filter((c) => c.status === 'ok' && !c.load && c.summary.e2eUs)
    .map((c) => ({
      cell: cellLabel(c),
      platform: c.platform,
      e2eMs: c.summary.e2eUs!.p50 / 1000,
      usdPerMillion: c.cost?.usdPerMillion ?? null,
    }));
}

export const latencyCost: Recipe = {
  id: 'latency-cost',
  title: 'Latency and cost per application',
  caption:
    "Median end-to-end latency with its 95% CI, and modelled dollars per million executions (the mean of the measured runs' modelled bills, from dated price tables; no bar where a platform has no price model), for every cell: one panel per workload and params, in numeric order; colour: platform.",
  build(cells) {
    const ok = cells.filter((c) => c.status === 'ok' && !c.load && c.summary.e2eUs);
    return panelBars(
      this.title,
      ok,
      (c) => {
        const e2e = c.summary.e2eUs!;
        return [
          { measure: 'e2e p50 (ms)', value: e2e.p50 / 1000, lo: e2e.medianCi95[0] / 1000, hi: e2e.medianCi95[1] / 1000 },
          ...(c.cost ? [{ measure: '$ per 1M executions', value: c.cost.usdPerMillion }] : []),
        ];
      },
      { xTitle: null, colorBy: 'platform', columns: ['e2e p50 (ms)', '$ per 1M executions'] },
    );
  },
};
