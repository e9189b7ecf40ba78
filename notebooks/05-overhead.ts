/** Figure 5: orchestration overhead vs workflow size: critical path of user code and the overhead on top (SeBS-Flow style). */
import { cellLabel } from '../harness/figures/cells.ts';
import { SCHEMA, type Recipe } from '../harness/figures/recipe.ts';

export const overhead: Recipe = {
  id: 'overhead',
  title: 'Critical path and orchestration overhead',
  caption:
    "Per cell, the median critical path of user code and the median overhead (end-to-end minus critical path), stacked: how much of a workflow's latency the platform adds as the workflow grows.",
  build(cells) {
    const rows = cells
      .filter((c) => c.status === 'ok' && c.summary.criticalPathUs && c.summary.overheadUs)
      .flatMap((c) => [
        { cell: cellLabel(c), platform: c.platform, part: 'critical path', ms: c.summary.criticalPathUs!.p50 / 1000 },
        { cell: cellLabel(c), platform: c.platform, part: 'overhead', ms: c.summary.overheadUs!.p50 / 1000 },
      ]);
    if (rows.length === 0) return undefined;
    return {
      $schema: SCHEMA,
      title: this.title,
      data: { values: rows },
      facet: {
        row: { field: 'cell', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelOrient: 'top', labelFontWeight: 'bold' } },
      },
      spec: {
        width: 420,
        height: { step: 12 },
        mark: 'bar',
        encoding: {
          y: { field: 'platform', type: 'nominal', title: null },
          x: { field: 'ms', type: 'quantitative', stack: 'zero', title: 'median (ms)' },
          color: { field: 'part', type: 'nominal', scale: { range: ['#4c78a8', '#e45756'] } },
        },
      },
      resolve: { scale: { x: 'independent', y: 'independent' } },
    };
  },
};
