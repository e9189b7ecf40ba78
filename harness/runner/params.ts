/**
 * Workload parameters: defaults <- suite <- command line, each value checked against
 * the workload's spec before anything runs.
 */
import { InputError } from '../model/errors.ts';
import type { ParamSpec, PlatformSetting, Workload } from '../model/index.ts';

/** Parameters every adapter understands, whatever the workload. */
export const RUN_PARAMS: Readonly<Record<string, ParamSpec>> = {
  cold: { description: 'force a cold start for every invocation (1) or not (0)', default: 0, min: 0, max: 1, integer: true },
};

/**
 * `KEY=VALUE` or `KEY=V1,V2,...` (a sweep) from `--param`, as text: whether a value is a
 * number or one of a platform setting's choices depends on whose parameter KEY is (planRun).
 */
export function parseParamArgs(args: readonly string[]): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = arg.slice(0, eq);
    if (eq <= 0 || eq === arg.length - 1) throw new InputError('E_BAD_PARAM', `--param ${arg}: expected KEY=VALUE or KEY=V1,V2,...`);
    parsed.set(
      key,
      arg
        .slice(eq + 1)
        .split(',')
        .map((text) => text.trim()),
    );
  }
  return parsed;
}

/** A numeric parameter's value from its text (`true`/`false` are 1/0; `_` may group digits). */
export function parseNumber(text: string, where: string): number {
  if (text === 'true') return 1;
  if (text === 'false') return 0;
  const value = Number(text.trim().replace(/_/g, ''));
  if (text.trim() === '' || !Number.isFinite(value)) throw new InputError('E_BAD_PARAM', `${where}: '${text}' is not a number`);
  return value;
}

/**
 * A platform setting's value from the text or JSON value asked for; throws an InputError
 * naming `where` when it is not one of the setting's choices, or not a number within its bounds.
 */
export function checkSetting(key: string, value: unknown, setting: PlatformSetting, where: string): string | number {
  if ('choices' in setting) {
    const choices = Object.keys(setting.choices);
    if (typeof value !== 'string' || !choices.includes(value))
      throw new InputError('E_BAD_PARAM', `${where}: ${key}=${String(value)}: expected one of ${choices.join(', ')}`);
    return value;
  }
  const number = typeof value === 'number' ? value : parseNumber(String(value), `${where}: ${key}`);
  checkParam(key, number, setting, where, [key]);
  return number;
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
export function sweep<T>(lists: ReadonlyMap<string, readonly T[]>): Record<string, T>[] {
  let combos: Record<string, T>[] = [{}];
  for (const [key, values] of lists) combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  return combos;
}

export function paramSpecsOf(workload: Workload): Readonly<Record<string, ParamSpec>> {
  return { ...workload.params, ...RUN_PARAMS };
}

export function defaultsOf(workload: Workload): Record<string, number> {
  return Object.fromEntries(Object.entries(workload.params).map(([key, spec]) => [key, spec.default]));
}
