/**
 * Runs a plan: one adapter instance per platform, shared by that platform's cells and
 * closed at the end; cells run one after another so they never disturb each other.
 */
import type { PlatformAdapter } from '../model/index.ts';
import { initHistograms } from '../metrics/histogram.ts';
import { platformByName } from '../registry/platforms.ts';
import { captureEnvironment } from '../results/environment.ts';
import { RESULT_SCHEMA_VERSION, type CellResult, type ResultFile } from '../results/schema.ts';
import type { Plan, PlannedCell } from './plan.ts';
import { runCell } from './run-cell.ts';

export interface RunnerEvents {
  cellStarted?(cell: PlannedCell, index: number): void;
  runFinished?(cell: PlannedCell): void;
  cellFinished?(cell: PlannedCell, result: CellResult, index: number): void;
}

export function runsInPlan(plan: Plan): number {
  return plan.cells.length * (plan.warmup + plan.repetitions);
}

export async function runPlan(plan: Plan, events: RunnerEvents = {}): Promise<ResultFile> {
  await initHistograms();
  const environment = captureEnvironment(plan.target);
  const adapters = new Map<string, PlatformAdapter>();
  const cells: CellResult[] = [];
  try {
    for (const [index, cell] of plan.cells.entries()) {
      let adapter = adapters.get(cell.platform);
      if (!adapter) adapters.set(cell.platform, (adapter = platformByName(cell.platform).create({ nodes: plan.nodes })));
      events.cellStarted?.(cell, index);
      const result = await runCell(adapter, cell, {
        repetitions: plan.repetitions,
        warmup: plan.warmup,
        cellBudgetSeconds: plan.cellBudgetSeconds,
        target: plan.target,
        faults: plan.faults,
        onRun: () => events.runFinished?.(cell),
      });
      cells.push(result);
      events.cellFinished?.(cell, result, index);
    }
  } finally {
    await Promise.all([...adapters.values()].map((adapter) => adapter.close()));
  }
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    suite: plan.suite,
    environment,
    options: {
      repetitions: plan.repetitions,
      warmup: plan.warmup,
      ...(plan.cellBudgetSeconds ? { cellBudgetSeconds: plan.cellBudgetSeconds } : {}),
      target: plan.target,
      loop: 'closed',
      nodes: plan.nodes,
      platforms: [...plan.platforms],
      workloads: [...plan.workloads],
    },
    cells,
  };
}
