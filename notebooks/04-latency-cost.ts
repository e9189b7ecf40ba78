/** Figure 4: end-to-end latency and $ per 1M executions per application and platform (Unum's table, as grouped bars). */
import { cellLabel, type FigureCell } from '../harness/figures/cells.ts';
import { SCHEMA, type Recipe } from '../harness/figures/recipe.ts';

export function latencyCostRows(cells: readonly FigureCell[]): { cell: string; platform: string; e2eMs: number; usdPerMillion: number | null }[] {
  return cells
    .filter((c) => c.status === 'ok' && c.summary.e2eUs)
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
    'Median end-to-end latency and modelled dollars per million executions (dated price tables; no bar where a platform has no price model) for every cell, grouped by workload and platform.',
  build(cells) {
    const rows = latencyCostRows(cells).flatMap((r) => [
      { cell: r.cell, platform: r.platform, measure: 'e2e p50 (ms)', value: r.e2eMs },
      ...(r.usdPerMillion === null ? [] : [{ cell: r.cell, platform: r.platform, measure: '$ per 1M executions', value: r.usdPerMillion }]),
    ]);
    if (rows.length === 0) return undefined;
    return {
      $schema: SCHEMA,
      title: this.title,
      data: { values: rows },
      facet: {
        row: { field: 'cell', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelOrient: 'top', labelFontWeight: 'bold' } },
        column: { field: 'measure', type: 'nominal', title: null, sort: ['e2e p50 (ms)', '$ per 1M executions'] },
      },
      spec: {
        width: 260,
        height: { step: 12 },
        mark: 'bar',
        encoding: {
          y: { field: 'platform', type: 'nominal', title: null },
          x: { field: 'value', type: 'quantitative', title: null },
          color: { field: 'platform', type: 'nominal' },
        },
      },
      resolve: { scale: { x: 'independent', y: 'independent' } },
    };
  },
};
