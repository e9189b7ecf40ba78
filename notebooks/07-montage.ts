/** Figure 7: Montage (and any WfCommons trace) makespan vs critical path per platform. */
import { cellLabel, okCells } from '../harness/figures/cells.ts';
import { SCHEMA, type Recipe } from '../harness/figures/recipe.ts';

export const montage: Recipe = {
  id: 'montage',
  title: 'Montage: makespan vs critical path',
  caption: 'Median makespan (end-to-end) next to the median critical path of the replayed tasks, per platform; the gap is what the platform adds to the DAG.',
  build(cells) {
    const rows = okCells(cells, (name) => name === 'montage' || name.startsWith('wfformat:')).flatMap((c) => [
      { cell: cellLabel(c), platform: c.platform, measure: 'makespan', ms: c.summary.e2eUs!.p50 / 1000 },
      ...(c.summary.criticalPathUs ? [{ cell: cellLabel(c), platform: c.platform, measure: 'critical path', ms: c.summary.criticalPathUs.p50 / 1000 }] : []),
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
        height: { step: 10 },
        mark: 'bar',
        encoding: {
          y: { field: 'platform', type: 'nominal', title: null },
          yOffset: { field: 'measure', type: 'nominal' },
          x: { field: 'ms', type: 'quantitative', title: 'median (ms)' },
          color: { field: 'measure', type: 'nominal' },
        },
      },
      resolve: { scale: { x: 'independent' } },
    };
  },
};
