import type { TopLevelSpec } from 'vega-lite';
import type { FigureCell } from './cells.ts';

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

/**
 * Medians per platform as lines over a log x axis, each with its 95% CI as a rule
 * (rows: `{ platform, [x.field], median, lo, hi }`), on log-log axes.
 */
export function medianLines(
  title: string,
  rows: readonly Record<string, unknown>[],
  x: { field: string; title: string; base?: number },
  yTitle: string,
): TopLevelSpec {
  const xEncoding = { field: x.field, type: 'quantitative', scale: { type: 'log', ...(x.base ? { base: x.base } : {}) }, title: x.title } as const;
  const color = { field: 'platform', type: 'nominal' } as const;
  return {
    $schema: SCHEMA,
    title,
    width: 420,
    height: 280,
    data: { values: [...rows] },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: { x: xEncoding, y: { field: 'median', type: 'quantitative', scale: { type: 'log' }, title: yTitle }, color },
      },
      { mark: 'rule', encoding: { x: xEncoding, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
    ],
  } as TopLevelSpec;
}
