/**
 * Progress on stderr: a bar on a terminal, one plain line per cell elsewhere (CI logs).
 */
import cliProgress from 'cli-progress';
import type { RunnerEvents } from '../runner/runner.ts';
import { cellParams, type PlannedCell } from '../runner/plan.ts';
import { formatParams, formatUs } from './format.ts';
import { reasonOf } from '../results/schema.ts';

const label = (cell: PlannedCell): string => `${cell.workload.name} ${formatParams(cellParams(cell))} @ ${cell.platform}`;

export function progressReporter(totalRuns: number, cellCount: number): RunnerEvents & { stop(): void } {
  if (process.stderr.isTTY && !process.env['CI']) {
    const bar = new cliProgress.SingleBar(
      { format: ' {bar} {value}/{total} runs | {cell}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(totalRuns, 0, { cell: '' });
    return {
      cellStarted: (cell) => bar.update({ cell: label(cell) }),
      runFinished: () => bar.increment(),
      cellFinished: (_cell, result) => {
        const skipped = totalRuns / cellCount - result.runs.warmup - result.runs.measured;
        if (skipped > 0) bar.increment(skipped);
      },
      stop: () => bar.stop(),
    };
  }
  return {
    cellStarted: (cell, index) => process.stderr.write(`[${index + 1}/${cellCount}] ${label(cell)} ...\n`),
    cellFinished: (_cell, result, index) => {
      const p50 = result.summary.e2eUs ? `, e2e p50 ${formatUs(result.summary.e2eUs.p50)}` : '';
      const reason = reasonOf(result);
      const why = reason ? `: ${reason}` : '';
      process.stderr.write(`[${index + 1}/${cellCount}] ${result.status}${p50}${why}\n`);
    },
    stop: () => {},
  };
}
