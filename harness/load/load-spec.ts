/**
 * How executions arrive during a cell's measured runs (`baton run --load`):
 *   closed          one at a time, each when the previous is done (the default)
 *   burst:N         N at once, the next burst when all N are done, `--repetitions` bursts
 *   open:RATE/s     on a fixed schedule for `--duration`, whether or not earlier ones are done
 *   trace:FILE      on the schedule of an Azure Functions trace's per-minute counts
 * Under open and trace loads a latency counts from the scheduled start (no coordinated omission).
 */
import { InputError } from '../model/errors.ts';

export type LoadSpec =
  | { readonly mode: 'closed' }
  | { readonly mode: 'burst'; readonly concurrency: number }
  | { readonly mode: 'open'; readonly ratePerSec: number; readonly durationSeconds: number }
  | {
      readonly mode: 'trace';
      readonly file: string;
      /** How long one minute of the trace lasts here, seconds (60: real time). */
      readonly minuteSeconds: number;
      /** Counts are multiplied by this. */
      readonly rateScale: number;
      /** Replay at most this long (seconds, here); default: the whole trace. */
      readonly durationSeconds?: number;
      /** Which row (function) of the trace, from 1; default: every row's counts summed. */
      readonly functionRow?: number;
    };

export const CLOSED: LoadSpec = { mode: 'closed' };

export interface LoadOptions {
  readonly load?: string;
  /** `--duration`: `20s`, `500ms`, `2m`, or seconds. */
  readonly duration?: string;
  /** `--trace-minute`: how long a trace minute lasts here, as `--duration`. */
  readonly traceMinute?: string;
  readonly traceRateScale?: number;
  readonly traceFunction?: number;
}

/** `20s`, `500ms`, `2m` or a number of seconds -> seconds; anything else is bad input naming the option. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * ({ ms: 0.001, s: 1, m: 60 } as const)[(match[2] ?? 's') as 'ms' | 's' | 'm'] : Number.NaN;
  if (!(seconds > 0)) throw new InputError('E_BAD_INPUT', `${option} ${text}: expected a positive duration such as 20s, 500ms or 2m`);
  return seconds;
}

const MAX_CONCURRENCY = 10_000;
const MAX_RATE_PER_SEC = 100_000;

export function parseLoad(options: LoadOptions): LoadSpec {
  const text = options.load ?? 'closed';
  const bad = (expected: string): never => {
    throw new InputError('E_BAD_INPUT', `--load ${text}: expected ${expected}`);
  };
  const onlyWith = (option: string, modes: string, given: unknown): void => {
    if (given !== undefined) throw new InputError('E_BAD_INPUT', `${option}: only with --load ${modes}`);
  };
  const mode = text.split(':')[0];
  if (mode !== 'open' && mode !== 'trace') onlyWith('--duration', 'open:RATE/s or trace:FILE', options.duration);
  if (mode !== 'trace') {
    onlyWith('--trace-minute', 'trace:FILE', options.traceMinute);
    onlyWith('--trace-scale', 'trace:FILE', options.traceRateScale);
    onlyWith('--trace-function', 'trace:FILE', options.traceFunction);
  }
  if (text === 'closed') return CLOSED;
  const burst = /^burst:(\d+)$/.exec(text);
  if (burst) {
    const concurrency = Number(burst[1]);
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) bad(`burst:N with N from 1 to ${MAX_CONCURRENCY}`);
    return { mode: 'burst', concurrency };
  }
  const open = /^open:(\d+(?:\.\d+)?)\/s$/.exec(text);
  if (open) {
    const ratePerSec = Number(open[1]);
    if (!(ratePerSec > 0 && ratePerSec <= MAX_RATE_PER_SEC)) bad(`open:RATE/s with RATE above 0 and at most ${MAX_RATE_PER_SEC}`);
    const durationSeconds = options.duration === undefined ? 10 : parseDuration(options.duration, '--duration');
    if (ratePerSec * durationSeconds < 1) bad(`a rate and --duration that schedule at least one execution (${ratePerSec}/s for ${durationSeconds} s do not)`);
    return { mode: 'open', ratePerSec, durationSeconds };
  }
  if (text.startsWith('trace:') && text.length > 'trace:'.length) {
    const functionRow = options.traceFunction;
    if (functionRow !== undefined && !(Number.isInteger(functionRow) && functionRow >= 1))
      throw new InputError('E_BAD_INPUT', `--trace-function ${functionRow}: expected a row number of the trace, from 1`);
    return {
      mode: 'trace',
      file: text.slice('trace:'.length),
      minuteSeconds: options.traceMinute === undefined ? 60 : parseDuration(options.traceMinute, '--trace-minute'),
      rateScale: positive('--trace-scale', options.traceRateScale ?? 1, 'times'),
      ...(options.duration !== undefined ? { durationSeconds: parseDuration(options.duration, '--duration') } : {}),
      ...(functionRow !== undefined ? { functionRow } : {}),
    };
  }
  return bad('closed, burst:N, open:RATE/s or trace:FILE');
}

function positive(option: string, value: number, unit: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new InputError('E_BAD_INPUT', `${option} ${value}: expected a positive number of ${unit}`);
  return value;
}

/** The load as the result file and the CLI name it: `closed`, `burst:8`, `open:200/s for 20 s`, `trace:FILE ...`. */
export function describeLoad(load: LoadSpec): string {
  switch (load.mode) {
    case 'closed':
      return 'closed';
    case 'burst':
      return `burst:${load.concurrency}`;
    case 'open':
      return `open:${load.ratePerSec}/s for ${load.durationSeconds} s`;
    case 'trace':
      return `trace:${load.file} (minute = ${load.minuteSeconds} s, x${load.rateScale}${load.functionRow ? `, row ${load.functionRow}` : ''}${load.durationSeconds ? `, ${load.durationSeconds} s` : ''})`;
  }
}
