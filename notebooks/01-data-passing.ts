/**
 * Figure 1: interaction latency of two functions vs data size, one series per mechanism:
 * Pheromone's Figure 2 (Step Functions, S3, a nested Lambda call, Step Functions + Redis),
 * with Durable Functions, Unum and the reference runtime beside them. A point a platform
 * cannot run is drawn too, as an "unsupported" mark with its reason, not left out.
 */
import type { TopLevelSpec } from 'vega-lite';
import { numberParam, okCells, type FigureCell } from '../harness/figures/cells.ts';
import { SCHEMA, medianLayers, medianRow, type MedianRow, type Recipe } from '../harness/figures/recipe.ts';
import { platformColor, seriesOf } from '../harness/figures/style.ts';
import { reasonOf } from '../harness/results/schema.ts';

/** The chain cells of one length (the shortest with a transition: two functions in the data-passing suite). */
function chainCells(cells: readonly FigureCell[]): FigureCell[] {
  const chains = cells.filter((c) => c.workload === 'chain' && numberParam(c, 'payloadBytes') !== undefined && (numberParam(c, 'length') ?? 0) >= 2);
  const lengths = chains.filter((c) => c.status === 'ok').map((c) => numberParam(c, 'length')!);
  if (lengths.length === 0) return [];
  const length = Math.min(...lengths);
  return chains.filter((c) => numberParam(c, 'length') === length);
}

/** A reason short enough for a label: its first clause (after the setting it names, which the series says), at most 80 characters. */
function shortReason(reason: string): string {
  const clause = reason
    .replace(/^\w+=\w+: /, '')
    .split(/[;(]/)[0]!
    .trim();
  return clause.length <= 80 ? clause : `${clause.slice(0, 79).replace(/\s+\S*$/, '')}…`;
}

/** Vega expression: bytes as B, KiB or MiB (the suite's sizes are powers of two). */
const SIZE_LABEL =
  "datum.value >= 1048576 ? format(datum.value / 1048576, '~g') + ' MiB' : datum.value >= 1024 ? format(datum.value / 1024, '~g') + ' KiB' : datum.value + ' B'";

export const dataPassing: Recipe = {
  id: 'data-passing',
  title: 'Interaction latency of two functions vs data size',
  caption:
    "Median transition (the second function's start minus the first one's end: the data's way from one to the other) of the chain workload, per data size and mechanism, with the 95% CI of the median; log-log. Colour: platform; dash and shape: how the data travelled (own: the platform's own way; s3, redis, nested: --param dataPassing). Below: every point a platform cannot run, with why.",
  build(cells) {
    const chains = chainCells(cells);
    const rows: MedianRow[] = okCells(chains, 'chain').flatMap((c) => {
      const m = medianRow(c, 'transitionUs');
      // In ms: the sizes span 1 KiB to 64 MiB, the latencies µs to seconds.
      return m
        ? [
            {
              platform: c.platform,
              series: seriesOf(c),
              payloadBytes: Math.max(1, numberParam(c, 'payloadBytes')!),
              median: m.p50 / 1000,
              lo: m.lo / 1000,
              hi: m.hi / 1000,
            },
          ]
        : [];
    });
    if (rows.length === 0) return undefined;
    const refused = chains
      .filter((c) => c.status === 'unsupported')
      .map((c) => {
        const reason = reasonOf(c) ?? '';
        return { platform: c.platform, label: `${seriesOf(c)}: ${shortReason(reason)}`, payloadBytes: Math.max(1, numberParam(c, 'payloadBytes')!), reason };
      });
    // A tick at every size measured, labelled in KiB and MiB.
    const sizes = [...new Set([...rows, ...refused].map((r) => Number(r.payloadBytes)))].sort((a, b) => a - b);
    const axis = { values: sizes, labelExpr: SIZE_LABEL, grid: true };
    // Half a step beyond the ends, so the first and last sizes' points and labels are inside the plot.
    const domain = [sizes[0]! / 1.5, sizes.at(-1)! * 1.5] as const;
    const x = { field: 'payloadBytes', title: 'data size', base: 2, axis, domain };
    const lines = { width: 520, height: 320, ...medianLayers(rows, x, 'transition p50 (ms)') };
    if (refused.length === 0) return { $schema: SCHEMA, title: this.title, ...lines } as TopLevelSpec;
    const marks = {
      width: 520,
      height: { step: 14 },
      title: { text: 'unsupported (no measurement possible)', fontSize: 11, anchor: 'start' },
      data: { values: refused },
      mark: { type: 'point', shape: 'cross', filled: true, size: 70 },
      encoding: {
        x: { field: 'payloadBytes', type: 'quantitative', scale: { type: 'log', base: 2, domain }, title: 'data size', axis },
        // On the right, so the long reasons do not push both plots to the right (they share the x scale).
        // Vega measures text by estimate here (no canvas): a generous limit, so labels are not cut short.
        y: { field: 'label', type: 'nominal', title: null, axis: { labelLimit: 1000, orient: 'right' } },
        color: platformColor(refused.map((r) => r.platform)),
        tooltip: [{ field: 'reason', type: 'nominal' }],
      },
    };
    return { $schema: SCHEMA, title: this.title, vconcat: [lines, marks], resolve: { scale: { x: 'shared', color: 'shared' } } } as TopLevelSpec;
  },
};
