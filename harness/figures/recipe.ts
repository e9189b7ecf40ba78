import type { TopLevelSpec } from 'vega-lite';
import type { FigureCell } from './cells.ts';
import { inPanelOrder, panelLabel, panelRows, platformColor, seriesOf } from './style.ts';

/** One figure: which cells it needs, and the Vega-Lite spec it draws from them. */
export interface Recipe {
  readonly id: string;
  readonly title: string;
  /** What the figure shows and where it comes from (the papers' figure it mirrors). */
  readonly caption: string;
  /** The spec, or undefined when the results hold nothing this figure can show. */
  build(cells: readonly FigureCell[]): TopLevelSpec | undefined;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Median with its bootstrap 95% CI, for error bars. */
export function medianRow(cell: FigureCell, metric: keyof FigureCell['summary']): { p50: number; lo: number; hi: number } | undefined {
  const s = cell.summary[metric];
  return s ? { p50: s.p50, lo: s.medianCi95[0], hi: s.medianCi95[1] } : undefined;
}

/** A line figure's row: one series' median at one x, with its 95% CI. */
export interface MedianRow {
  readonly platform: string;
  /** The series within a platform (a data-passing mechanism); one per platform when absent. */
  readonly series?: string;
  readonly median: number;
  readonly lo: number;
  readonly hi: number;
  readonly [x: string]: unknown;
}

/**
 * Medians as lines over log-log axes, each point with its 95% CI as a rule: one colour per
 * platform (the same in every figure), one dash and point shape per series within it.
 */
export function medianLayers(
  rows: readonly MedianRow[],
  x: { field: string; title: string; base?: number; axis?: object; domain?: readonly [number, number] },
  yTitle: string,
) {
  const xEncoding = {
    field: x.field,
    type: 'quantitative',
    scale: { type: 'log', ...(x.base ? { base: x.base } : {}), ...(x.domain ? { domain: x.domain } : {}) },
    title: x.title,
    ...(x.axis ? { axis: x.axis } : {}),
  } as const;
  const color = platformColor(rows.map((r) => r.platform));
  const detail = { field: 'series', type: 'nominal', title: 'series' } as const;
  const values = rows.map((r) => ({ ...r, series: r.series ?? r.platform }));
  return {
    data: { values },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: xEncoding,
          y: { field: 'median', type: 'quantitative', scale: { type: 'log' }, title: yTitle },
          color,
          strokeDash: detail,
          shape: detail,
        },
      },
      { mark: 'rule', encoding: { x: xEncoding, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color, detail } },
    ],
  };
}

/** A bar of a panel figure: one measure of one cell, with its 95% CI where it has one. */
export interface BarRow {
  readonly measure: string;
  readonly value: number;
  readonly lo?: number;
  readonly hi?: number;
}

/**
 * One panel per cell (workload and params, in numeric order), one bar per series and
 * measure, each with its 95% CI as a rule where it has one. Colour: platform (`colorBy:
 * 'platform'`, the same in every figure) or measure.
 */
export function panelBars(
  title: string,
  cells: readonly FigureCell[],
  barsOf: (cell: FigureCell) => readonly BarRow[],
  options: { readonly xTitle: string | null; readonly colorBy: 'platform' | 'measure'; readonly columns?: readonly string[] },
): TopLevelSpec | undefined {
  const ordered = inPanelOrder(cells);
  const panels = [...new Set(ordered.map(panelLabel))];
  const rows = ordered.flatMap((c) =>
    barsOf(c).map((bar) => ({ ...bar, cell: panelLabel(c), order: panels.indexOf(panelLabel(c)), platform: c.platform, series: seriesOf(c) })),
  );
  if (rows.length === 0) return undefined;
  const color = options.colorBy === 'platform' ? platformColor(rows.map((r) => r.platform)) : ({ field: 'measure', type: 'nominal', title: null } as const);
  const x = { field: 'value', type: 'quantitative', title: options.xTitle } as const;
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    facet: {
      row: panelRows(),
      ...(options.columns ? { column: { field: 'measure', type: 'nominal', title: null, sort: [...options.columns] } } : {}),
    },
    spec: {
      width: options.columns ? 260 : 420,
      height: { step: 12 },
      encoding: { y: { field: 'series', type: 'nominal', title: null }, ...(options.columns ? {} : { yOffset: { field: 'measure', type: 'nominal' } }) },
      layer: [
        { mark: 'bar', encoding: { x, color } },
        { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
}

export function medianLines(title: string, rows: readonly MedianRow[], x: { field: string; title: string; base?: number }, yTitle: string): TopLevelSpec {
  return { $schema: SCHEMA, title, width: 420, height: 280, ...medianLayers(rows, x, yTitle) } as TopLevelSpec;
}
