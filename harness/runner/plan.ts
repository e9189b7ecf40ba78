/**
 * From what the user asked for (a suite, overrides) to the list of cells to run:
 * (workload, params, platform). Every input is checked here, before anything runs.
 */
import { totalmem } from 'node:os';
import { InputError } from '../model/errors.ts';
import { DEFAULT_RUN_TIMEOUT_MS, type ParamValues, type Target, type Workload } from '../model/index.ts';
import { PLATFORMS, platformByName } from '../registry/platforms.ts';
import { workloadByName } from '../registry/workloads.ts';
import { RUN_PARAMS, checkParam, defaultsOf, paramSpecsOf, sweep } from './params.ts';
import { loadSuite, suiteParamLists } from './suite.ts';

export interface RunRequest {
  readonly suite: string;
  readonly platforms?: readonly string[];
  readonly workloads?: readonly string[];
  /** From `--param`: key -> values (several values sweep). */
  readonly params?: ReadonlyMap<string, readonly number[]>;
  readonly repetitions?: number;
  readonly warmup?: number;
  readonly cellBudgetSeconds?: number;
  /** From `--run-timeout`: a run with no result after this long fails its cell. */
  readonly runTimeoutSeconds?: number;
  /** From `--max-memory` (MB): a cell whose data would need more is unsupported, before it runs. */
  readonly maxMemoryMB?: number;
  readonly target?: Target;
  /** From `--inject`: fault -> probability. */
  readonly inject?: ReadonlyMap<string, number>;
  /** From `--nodes`: nodes of self-hosted platforms. */
  readonly nodes?: number;
}

export interface PlannedCell {
  readonly workload: Workload;
  readonly params: ParamValues;
  readonly platform: string;
}

export interface Plan {
  readonly suite: string;
  readonly repetitions: number;
  readonly warmup: number;
  /** Measuring a cell stops after this long (at least MIN_BUDGETED_RUNS runs). */
  readonly cellBudgetSeconds?: number;
  /** A run with no result after this long fails its cell, and the platform is restarted for the next (default 120 s). */
  readonly runTimeoutSeconds?: number;
  /** The memory a cell's data may take at once (bytes); over it the cell is unsupported (default: half the machine's). */
  readonly maxMemoryBytes?: number;
  readonly target: Target;
  readonly platforms: readonly string[];
  readonly workloads: readonly string[];
  readonly faults: Readonly<Record<string, number>>;
  readonly nodes: number;
  readonly cells: readonly PlannedCell[];
}

export function planRun(request: RunRequest): Plan {
  const { suite, file } = loadSuite(request.suite);
  const platforms = request.platforms ?? suite.platforms ?? [...PLATFORMS].filter(([, entry]) => !entry.onlyWhenNamed).map(([name]) => name);
  for (const name of platforms) platformByName(name);
  const twice = platforms.filter((name, i) => platforms.indexOf(name) !== i);
  if (twice.length > 0)
    throw new InputError('E_BAD_INPUT', `--platform: ${[...new Set(twice)].join(', ')} named more than once; each platform runs every cell once`);
  const faults = checkFaults(platforms, request.inject ?? new Map());
  const nodes = checkNodes(platforms, request.nodes ?? 1);

  const entries = request.workloads
    ? request.workloads.flatMap((name) => {
        const fromSuite = suite.workloads.filter((w) => w.name === name);
        return fromSuite.length > 0 ? fromSuite.map((entry) => ({ entry, where: file })) : [{ entry: { name }, where: '--workload' }];
      })
    : suite.workloads.map((entry) => ({ entry, where: file }));

  const overrides = request.params ?? new Map<string, readonly number[]>();
  const selected = entries.map(({ entry }) => workloadByName(entry.name));
  for (const key of overrides.keys()) {
    if (!(key in RUN_PARAMS) && !selected.some((w) => key in w.params)) {
      const known = [...new Set([...selected.flatMap((w) => Object.keys(w.params)), ...Object.keys(RUN_PARAMS)])];
      throw new InputError('E_BAD_PARAM', `--param ${key}: no selected workload has this parameter: expected one of ${known.join(', ')}`);
    }
  }

  const cells: PlannedCell[] = [];
  entries.forEach(({ entry, where }, i) => {
    const workload = selected[i]!;
    const specs = paramSpecsOf(workload);
    const known = Object.keys(specs);
    const lists = new Map<string, readonly number[]>(Object.entries(defaultsOf(workload)).map(([k, v]) => [k, [v]]));
    for (const [key, values] of suiteParamLists('params' in entry ? entry.params : undefined)) {
      for (const value of values) checkParam(key, value, specs[key], `${where}: workloads[${i}].params`, known);
      lists.set(key, values);
    }
    for (const [key, values] of overrides) {
      if (!(key in specs)) continue;
      for (const value of values) checkParam(key, value, specs[key], '--param', known);
      lists.set(key, values);
    }
    for (const params of sweep(lists)) for (const platform of platforms) cells.push({ workload, params, platform });
  });

  return {
    suite: suite.name,
    repetitions: checkCount('--repetitions', request.repetitions ?? suite.repetitions, 1),
    warmup: checkCount('--warmup', request.warmup ?? suite.warmup, 0),
    ...budgetOf(request.cellBudgetSeconds ?? suite.cellBudgetSeconds),
    runTimeoutSeconds: checkPositive('--run-timeout', request.runTimeoutSeconds ?? DEFAULT_RUN_TIMEOUT_SECONDS, 'seconds'),
    maxMemoryBytes: request.maxMemoryMB === undefined ? defaultMaxMemoryBytes() : checkPositive('--max-memory', request.maxMemoryMB, 'MB') * 2 ** 20,
    target: request.target ?? 'local',
    platforms,
    workloads: [...new Set(selected.map((w) => w.name))],
    faults,
    nodes,
    cells,
  };
}

/** Half the machine's memory: the harness, the platforms' processes and the system keep the rest. */
export function defaultMaxMemoryBytes(): number {
  return Math.floor(totalmem() / 2);
}

/** `--run-timeout`'s default (the model's DEFAULT_RUN_TIMEOUT_MS). */
export const DEFAULT_RUN_TIMEOUT_SECONDS = DEFAULT_RUN_TIMEOUT_MS / 1000;

function checkPositive(option: string, value: number, unit: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new InputError('E_BAD_INPUT', `${option} ${value}: expected a positive number of ${unit}`);
  return value;
}

function budgetOf(seconds: number | undefined): { cellBudgetSeconds?: number } {
  if (seconds === undefined) return {};
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InputError('E_BAD_INPUT', `--cell-budget ${seconds}: expected a positive number of seconds`);
  return { cellBudgetSeconds: seconds };
}

function checkNodes(platforms: readonly string[], nodes: number): number {
  if (!Number.isInteger(nodes) || nodes < 1) throw new InputError('E_BAD_INPUT', `--nodes ${nodes}: expected a whole number of nodes, at least 1`);
  for (const name of platforms) {
    const { maxNodes } = platformByName(name);
    if (nodes > maxNodes)
      throw new InputError('E_BAD_INPUT', `--nodes ${nodes}: platform '${name}' runs on at most ${maxNodes} node${maxNodes === 1 ? '' : 's'} here`);
  }
  return nodes;
}

function checkCount(option: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > 100_000) {
    throw new InputError('E_BAD_INPUT', `${option} ${value}: expected an integer from ${min} to 100000`);
  }
  return value;
}

function checkFaults(platforms: readonly string[], inject: ReadonlyMap<string, number>): Record<string, number> {
  for (const [fault, probability] of inject) {
    if (!(probability >= 0 && probability <= 1)) throw new InputError('E_BAD_INPUT', `--inject ${fault}=${probability}: expected a probability from 0 to 1`);
    for (const name of platforms) {
      const adapter = platformByName(name).create({ nodes: 1 });
      if (!(fault in adapter.faults)) {
        const offered = Object.keys(adapter.faults);
        throw new InputError(
          'E_BAD_INPUT',
          `--inject ${fault}: platform '${name}' cannot inject this fault: it offers ${offered.length > 0 ? offered.join(', ') : 'no fault injection'}`,
        );
      }
    }
  }
  return Object.fromEntries(inject);
}
