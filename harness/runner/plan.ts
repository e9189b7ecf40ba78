/**
 * From what the user asked for (a suite, overrides) to the list of cells to run:
 * (workload, params, platform). Every input is checked here, before anything runs.
 */
import { totalmem } from 'node:os';
import { InputError } from '../model/errors.ts';
import { DEFAULT_RUN_TIMEOUT_MS, type ParamValues, type Target, type Workload } from '../model/index.ts';
import { PLATFORMS, platformByName, platformSettings } from '../registry/platforms.ts';
import { workloadByName } from '../registry/workloads.ts';
import { RUN_PARAMS, checkSetting, checkParam, defaultsOf, paramSpecsOf, parseNumber, sweep } from './params.ts';
import { loadSuite, suiteParamLists } from './suite.ts';
import { parseLoad, type LoadOptions, type LoadSpec } from '../load/load-spec.ts';
import { readAzureTrace, traceArrivalsMs, traceCounts } from '../load/azure-trace.ts';

export interface RunRequest {
  readonly suite: string;
  readonly platforms?: readonly string[];
  readonly workloads?: readonly string[];
  /** From `--param`: key -> values as text (several values sweep). */
  readonly params?: ReadonlyMap<string, readonly string[]>;
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
  /** From `--load`, `--duration` and the `--trace-*` options. */
  readonly load?: LoadOptions;
}

export interface PlannedCell {
  readonly workload: Workload;
  readonly params: ParamValues;
  readonly platform: string;
  /** The platform's settings (`PlatformSetting`) where they differ from its default: what the adapter deploys with. */
  readonly settings?: Readonly<Record<string, string | number>>;
}

/** What a cell records as its params: the workload's and the platform settings it was given. */
export function cellParams(cell: Pick<PlannedCell, 'params' | 'settings'>): Record<string, number | string> {
  return { ...cell.params, ...cell.settings };
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
  /** How each cell's measured executions arrive (default: closed). */
  readonly load?: LoadSpec;
  /** A trace load's arrivals, ms from the start (read from the trace when the run is planned). */
  readonly arrivalsMs?: readonly number[];
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
  const load = parseLoad(request.load ?? {});
  const arrivalsMs = load.mode === 'trace' ? traceArrivals(load) : undefined;

  const entries = request.workloads
    ? request.workloads.flatMap((name) => {
        const fromSuite = suite.workloads.filter((w) => w.name === name);
        return fromSuite.length > 0 ? fromSuite.map((entry) => ({ entry, where: file })) : [{ entry: { name }, where: '--workload' }];
      })
    : suite.workloads.map((entry) => ({ entry, where: file }));

  const overrides = request.params ?? new Map<string, readonly string[]>();
  const selected = entries.map(({ entry }) => workloadByName(entry.name));
  const everySetting = platformSettings();
  const offered = new Map(platforms.map((name) => [name, everySetting.get(name)!]));
  // A setting of any platform, so that a suite naming one still runs on platforms without it (they have no such choice to make).
  const settingKeys = new Set([...everySetting.values()].flatMap((settings) => Object.keys(settings)));
  for (const key of overrides.keys()) {
    if (!(key in RUN_PARAMS) && !settingKeys.has(key) && !selected.some((w) => key in w.params)) {
      const known = [...new Set([...selected.flatMap((w) => Object.keys(w.params)), ...Object.keys(RUN_PARAMS), ...settingKeys])];
      throw new InputError('E_BAD_PARAM', `--param ${key}: no selected workload or platform has this parameter: expected one of ${known.join(', ')}`);
    }
    const by = (settings: ReadonlyMap<string, object>) => [...settings].filter(([, own]) => key in own).map(([name]) => name);
    if (settingKeys.has(key) && by(offered).length === 0 && !selected.some((w) => key in w.params))
      throw new InputError('E_BAD_PARAM', `--param ${key}: no selected platform has this setting: ${by(everySetting).join(', ')} do`);
  }

  const cells: PlannedCell[] = [];
  entries.forEach(({ entry, where }, i) => {
    const workload = selected[i]!;
    const specs = paramSpecsOf(workload);
    const known = [...Object.keys(specs), ...settingKeys];
    const isSetting = (key: string) => settingKeys.has(key) && !(key in specs);
    const lists = new Map<string, readonly number[]>(Object.entries(defaultsOf(workload)).map(([k, v]) => [k, [v]]));
    /** Platform setting -> the values asked for, and where they were asked for (checked against each platform's choices). */
    const settingLists = new Map<string, { values: readonly unknown[]; where: string }>();
    const inSuite = `${where}: workloads[${i}].params`;
    for (const [key, values] of suiteParamLists('params' in entry ? entry.params : undefined)) {
      if (isSetting(key)) {
        settingLists.set(key, { values, where: inSuite });
        continue;
      }
      for (const value of values) {
        if (typeof value !== 'number') throw new InputError('E_BAD_PARAM', `${inSuite}: ${key}=${JSON.stringify(value)}: expected a number`);
        checkParam(key, value, specs[key], inSuite, known);
      }
      lists.set(key, values as number[]);
    }
    for (const [key, texts] of overrides) {
      if (isSetting(key)) {
        settingLists.set(key, { values: texts, where: '--param' });
        continue;
      }
      if (!(key in specs)) continue;
      const values = texts.map((text) => parseNumber(text, `--param ${key}=${texts.join(',')}`));
      for (const value of values) checkParam(key, value, specs[key], '--param', known);
      lists.set(key, values);
    }
    for (const params of sweep(lists)) {
      for (const platform of platforms) {
        const choices = new Map<string, readonly (string | number)[]>();
        for (const [key, setting] of Object.entries(offered.get(platform)!)) {
          const asked = settingLists.get(key);
          if (asked)
            choices.set(
              key,
              asked.values.map((value) => checkSetting(key, value, setting, `${asked.where} (platform ${platform})`)),
            );
        }
        const own = offered.get(platform)!;
        for (const chosen of sweep(choices)) {
          const chosenValue = (key: string) => chosen[key] ?? own[key]?.default;
          const applies = (key: string) => Object.entries(own[key]!.onlyWith ?? {}).every(([other, values]) => values.includes(String(chosenValue(other))));
          const settings = Object.fromEntries(Object.entries(chosen).filter(([key, value]) => value !== own[key]!.default && applies(key)));
          // A default asked for explicitly is the same cell as the default left alone.
          if (!cells.some((c) => c.workload === workload && c.platform === platform && c.params === params && sameSettings(c.settings ?? {}, settings)))
            cells.push({ workload, params, platform, ...(Object.keys(settings).length > 0 ? { settings } : {}) });
        }
      }
    }
  });

  return {
    suite: suite.name,
    repetitions: checkCount('--repetitions', request.repetitions ?? suite.repetitions, 1),
    warmup: checkCount('--warmup', request.warmup ?? suite.warmup, 0),
    ...budgetOf(request.cellBudgetSeconds ?? suite.cellBudgetSeconds),
    runTimeoutSeconds: checkPositive('--run-timeout', request.runTimeoutSeconds ?? suite.runTimeoutSeconds ?? DEFAULT_RUN_TIMEOUT_SECONDS, 'seconds'),
    maxMemoryBytes: request.maxMemoryMB === undefined ? defaultMaxMemoryBytes() : checkPositive('--max-memory', request.maxMemoryMB, 'MB') * 2 ** 20,
    target: request.target ?? 'local',
    platforms,
    workloads: [...new Set(selected.map((w) => w.name))],
    faults,
    nodes,
    load,
    ...(arrivalsMs ? { arrivalsMs } : {}),
    cells: checkLoadFits(load, cells),
  };
}

function traceArrivals(load: Extract<LoadSpec, { mode: 'trace' }>): number[] {
  const arrivals = traceArrivalsMs(
    traceCounts(readAzureTrace(load.file), load.file, load.functionRow),
    load.minuteSeconds,
    load.rateScale,
    load.durationSeconds,
  );
  if (arrivals.length === 0)
    throw new InputError('E_BAD_INPUT', `--load trace:${load.file}: the replay schedules no execution (raise --trace-scale or --duration)`);
  return arrivals;
}

/** Forced cold starts restart a platform between runs: they cannot overlap other executions. */
function checkLoadFits(load: LoadSpec, cells: PlannedCell[]): PlannedCell[] {
  if (load.mode !== 'closed' && cells.some((c) => c.params['cold'] === 1))
    throw new InputError(
      'E_BAD_PARAM',
      `--param cold=1: only with --load closed (a forced cold start restarts the platform, which other executions are using)`,
    );
  return cells;
}

function sameSettings(a: Readonly<Record<string, string | number>>, b: Readonly<Record<string, string | number>>): boolean {
  return Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, value]) => b[key] === value);
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
