/** What the figure recipes read: every cell of the result files, with where it came from. */
import { decodeHistogram, withHistogram } from '../metrics/histogram.ts';
import type { CellResult, Environment, MetricName, ResultFile } from '../results/schema.ts';

export type FigureCell = CellResult & {
  /** Result file the cell came from, and that run's environment. */
  readonly file: string;
  readonly environment: Environment;
};

export function cellsOf(files: readonly { file: string; result: ResultFile }[]): FigureCell[] {
  return files.flatMap(({ file, result }) => result.cells.map((cell) => ({ ...cell, file, environment: result.environment })));
}

/** Cells that ran and were measured closed-loop (a cell under --load is the throughput figure's, not comparable with these). */
export function okCells(cells: readonly FigureCell[], workload: string | ((name: string) => boolean)): FigureCell[] {
  const matches = typeof workload === 'string' ? (name: string) => name === workload : workload;
  return cells.filter((c) => c.status === 'ok' && !c.load && matches(c.workload));
}

/** A workload parameter of the cell (a number), or undefined. */
export function numberParam(cell: CellResult, key: string): number | undefined {
  const value = cell.params[key];
  return typeof value === 'number' ? value : undefined;
}

/** `workload k=v k=v` */
export function cellLabel(cell: CellResult): string {
  const params = Object.entries(cell.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return params ? `${cell.workload} ${params}` : cell.workload;
}

const CDF_PERCENTILES = [0, 1, 2, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 92.5, 95, 97.5, 99, 99.5, 99.9, 100];

/** A metric's distribution as CDF points, from the stored HDR histogram (needs initHistograms()). */
export function cdfOf(cell: CellResult, metric: MetricName): { valueUs: number; fraction: number }[] {
  const encoded = cell.histograms[metric];
  if (!encoded) return [];
  return withHistogram(decodeHistogram(encoded), (h) => CDF_PERCENTILES.map((p) => ({ valueUs: Math.max(1, h.getValueAtPercentile(p)), fraction: p / 100 })));
}
