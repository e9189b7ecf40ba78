/** Figure 1: data-passing latency vs payload size, per platform (Pheromone's data-exchange figure, SeBS-Flow's invocation latency). */
import { numberParam, okCells } from '../harness/figures/cells.ts';
import { medianLines, medianRow, type Recipe } from '../harness/figures/recipe.ts';

export const dataPassing: Recipe = {
  id: 'data-passing',
  title: 'Data-passing latency vs payload size',
  caption:
    "Median transition (a function's start minus its parent's end) of the chain workload, per payload size and platform, with the 95% CI of the median. Log-log.",
  build(cells) {
    const rows = okCells(cells, 'chain').flatMap((c) => {
      const m = medianRow(c, 'transitionUs');
      const payloadBytes = numberParam(c, 'payloadBytes');
      return m && payloadBytes !== undefined ? [{ platform: c.platform, payloadBytes: Math.max(1, payloadBytes), median: m.p50, lo: m.lo, hi: m.hi }] : [];
    });
    return rows.length === 0 ? undefined : medianLines(this.title, rows, { field: 'payloadBytes', title: 'payload (bytes)' }, 'transition p50 (µs)');
  },
};
