/**
 * Several result files of the same suite as one: cells with the same workload, params
 * and platform are merged (histograms added, summaries recomputed, runs and cold starts
 * summed, each part's median kept as a round), e.g. the interleaved rounds of an A/B comparison.
 */
import { concatSamples } from '../metrics/samples.ts';
import { decodeHistogram, encodeHistogram, newHistogram, type Histogram } from '../metrics/histogram.ts';
import { summarize } from '../metrics/summary.ts';
import type { CellResult, MetricName, ResultFile } from './schema.ts';

/** A cell's identity across files: workload, platform, params, and the load it ran under (closed when none is named). */
export function cellKey(cell: Pick<CellResult, 'workload' | 'platform' | 'params'> & { readonly load?: { readonly description: string } }): string {
  return `${cell.workload}\u0000${cell.platform}\u0000${JSON.stringify(Object.entries(cell.params).sort())}\u0000${cell.load?.description ?? 'closed'}`;
}

/** Needs initHistograms(). The first file gives the environment and options. */
export function mergeResults(files: readonly ResultFile[]): ResultFile {
  if (files.length === 0) throw new Error('mergeResults: no result files');
  const groups = new Map<string, CellResult[]>();
  for (const file of files) for (const cell of file.cells) groups.set(cellKey(cell), [...(groups.get(cellKey(cell)) ?? []), cell]);
  const cells = [...groups.values()].map(mergeCells);
  const first = files[0]!;
  return {
    ...first,
    createdAt: new Date().toISOString(),
    options: { ...first.options, repetitions: files.reduce((n, f) => n + f.options.repetitions, 0) },
    cells,
  };
}

function mergeCells(cells: readonly CellResult[]): CellResult {
  const first = cells[0]!;
  const failed = cells.find((c) => c.status !== 'ok');
  if (failed) return failed; // one failed or unsupported round makes the merged cell say so
  const histograms: CellResult['histograms'] = {};
  const summary: CellResult['summary'] = {};
  const rounds: NonNullable<CellResult['rounds']> = {};
  const metrics = new Set(cells.flatMap((c) => Object.keys(c.histograms) as MetricName[]));
  for (const metric of metrics) {
    const merged: Histogram = newHistogram();
    try {
      for (const cell of cells) {
        const encoded = cell.histograms[metric];
        if (!encoded) continue;
        const part = decodeHistogram(encoded);
        merged.add(part);
        part.destroy();
      }
      histograms[metric] = encodeHistogram(merged);
      summary[metric] = summarize(merged);
      // Each part's own rounds if it is a merge itself, else its median as one round.
      rounds[metric] = cells.flatMap((c) => c.rounds?.[metric] ?? (c.summary[metric] ? [c.summary[metric]!.p50] : []));
    } finally {
      merged.destroy();
    }
  }
  const faults: Record<string, number> = {};
  for (const cell of cells) for (const [k, v] of Object.entries(cell.faults ?? {})) faults[k] = (faults[k] ?? 0) + v;
  return {
    ...first,
    histograms,
    summary,
    rounds,
    runs: { warmup: cells.reduce((n, c) => n + c.runs.warmup, 0), measured: cells.reduce((n, c) => n + c.runs.measured, 0) },
    coldStarts: cells.reduce((n, c) => n + c.coldStarts, 0),
    ...(Object.keys(faults).length > 0 ? { faults } : {}),
    ...mergedCost(cells),
    ...mergedStorageIo(cells),
    ...mergedSamples(cells),
    ...(cells[0]?.region ? { region: cells[0].region } : {}),
    ...unpricedReason(cells),
  };
}

/** Every round's executions, one after another. */
function mergedSamples(cells: readonly CellResult[]): Pick<CellResult, 'samples'> {
  const samples = concatSamples(cells.map((c) => c.samples));
  return samples ? { samples } : {};
}

/** Storage calls per run over every round's measured runs (each round's figure is a mean). */
function mergedStorageIo(cells: readonly CellResult[]): Pick<CellResult, 'storageIo'> {
  const counted = cells.filter((c) => c.storageIo && c.runs.measured > 0);
  const runs = counted.reduce((n, c) => n + c.runs.measured, 0);
  if (runs === 0) return {};
  const names = Object.keys(counted[0]!.storageIo!) as (keyof NonNullable<CellResult['storageIo']>)[];
  const merged = Object.fromEntries(names.map((name) => [name, counted.reduce((sum, c) => sum + c.storageIo![name] * c.runs.measured, 0) / runs]));
  return { storageIo: merged as NonNullable<CellResult['storageIo']> };
}

/** Why rounds that counted usage have no cost (their region has no prices), if none of them has one. */
function unpricedReason(cells: readonly CellResult[]): Pick<CellResult, 'costUnavailable'> {
  const reason = cells.find((c) => c.costUnavailable)?.costUnavailable;
  return reason && !cells.some((c) => c.cost) ? { costUnavailable: reason } : {};
}

/** The mean cost over every round's measured runs (each round's figure is already a mean). */
function mergedCost(cells: readonly CellResult[]): Pick<CellResult, 'cost'> {
  const priced = cells.filter((c) => c.cost && c.runs.measured > 0);
  const runs = priced.reduce((n, c) => n + c.runs.measured, 0);
  if (runs === 0) return {};
  const mean = (of: (c: CellResult) => number) => priced.reduce((sum, c) => sum + of(c) * c.runs.measured, 0) / runs;
  const items = new Set(priced.flatMap((c) => Object.keys(c.cost!.breakdown)));
  return {
    cost: {
      usdPerMillion: mean((c) => c.cost!.usdPerMillion),
      breakdown: Object.fromEntries([...items].map((item) => [item, mean((c) => c.cost!.breakdown[item] ?? 0)])),
      priceDates: [...new Set(priced.flatMap((c) => c.cost!.priceDates))].sort(),
    },
  };
}
