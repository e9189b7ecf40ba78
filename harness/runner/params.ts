/**
 * Workload parameters: defaults <- suite <- command line, each value checked against
 * the workload's spec before anything runs.
 */
import { InputError } from '../model/errors.ts';
import type { ParamSpec, ParamValues, Workload } from '../model/index.ts';

/** Parameters every adapter understands, whatever the workload. */
export const RUN_PARAMS: Readonly<Record<string, ParamSpec>> = {
  cold: { description: 'force a cold start for every invocation (1) or not (0)', default: 0, min: 0, max: 1, integer: true },
};

/** `KEY=VALUE` or `KEY=V1,V2,...` (a sweep) from `--param`. */
export function parseParamArgs(args: readonly string[]): Map<string, number[]> {
  const parsed = new Map<string, number[]>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = arg.slice(0, eq);
    if (eq <= 0 || eq === arg.length - 1) throw new InputError('E_BAD_PARAM', `--param ${arg}: expected KEY=VALUE or KEY=V1,V2,...`);
    const values = arg
      .slice(eq + 1)
      .split(',')
      .map((text) => parseNumber(text, `--param ${arg}`));
    parsed.set(key, values);
  }
  return parsed;
}

function parseNumber(text: string, where: string): number {
  if (text === 'true') return 1;
  if (text === 'false') return 0;
  const value = Number(text.trim().replace(/_/g, ''));
  if (text.trim() === '' || !Number.isFinite(value)) throw new InputError('E_BAD_PARAM', `${where}: '${text}' is not a number`);
  return value;
}

/** Throws an InputError naming `where` when a value is outside its spec. */
export function checkParam(key: string, value: number, spec: ParamSpec | undefined, where: string, known: readonly string[]): void {
  if (!spec) throw new InputError('E_BAD_PARAM', `${where}: unknown parameter '${key}': expected one of ${known.join(', ')}`);
  const unit = spec.unit ? ` ${spec.unit}` : '';
  if ((spec.integer && !Number.isInteger(value)) || value < spec.min || value > spec.max) {
    const kind = spec.integer ? 'an integer' : 'a number';
    throw new InputError('E_BAD_PARAM', `${where}: ${key}=${value}: expected ${kind} from ${spec.min} to ${spec.max}${unit}`);
  }
}

/** Every combination of the given value lists (one cell per combination). */
export function sweep(lists: ReadonlyMap<string, readonly number[]>): ParamValues[] {
  let combos: Record<string, number>[] = [{}];
  for (const [key, values] of lists) combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  return combos;
}

export function paramSpecsOf(workload: Workload): Readonly<Record<string, ParamSpec>> {
  return { ...workload.params, ...RUN_PARAMS };
}

export function defaultsOf(workload: Workload): Record<string, number> {
  return Object.fromEntries(Object.entries(workload.params).map(([key, spec]) => [key, spec.default]));
}
