/**
 * Arrivals from the Azure Functions 2019 trace (Shahrad et al., ATC'20): `invocations.csv`
 * has one row per function, `HashOwner,HashApp,HashFunction,Trigger`, then the invocations
 * in each minute of a day (columns `1` to `1440`). A replay spreads each minute's count
 * evenly over that minute (as invitro's equidistant mode does), with the minute scaled in
 * time and the counts in rate.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../model/errors.ts';

export interface TraceFunction {
  readonly name: string;
  readonly trigger: string;
  /** Invocations per minute, from minute 1. */
  readonly perMinute: readonly number[];
}

const KEY_COLUMNS = ['HashOwner', 'HashApp', 'HashFunction', 'Trigger'];

export function readAzureTrace(file: string): TraceFunction[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('E_BAD_INPUT', `--load trace:${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const fail = (line: number, what: string): never => {
    throw new InputError('E_BAD_INPUT', `${file}:${line}: ${what}`);
  };
  if (lines.length < 2) fail(1, 'expected a header and at least one function row (an Azure Functions invocations_per_function CSV)');
  const header = lines[0]!.split(',');
  for (const [i, name] of KEY_COLUMNS.entries())
    if (header[i] !== name) fail(1, `column ${i + 1} is '${header[i] ?? ''}': expected '${name}' (columns ${KEY_COLUMNS.join(',')},1,2,...)`);
  const minutes = header.slice(KEY_COLUMNS.length);
  for (const [i, name] of minutes.entries()) if (name !== String(i + 1)) fail(1, `column ${i + KEY_COLUMNS.length + 1} is '${name}': expected minute ${i + 1}`);
  if (minutes.length === 0) fail(1, 'no minute columns (1, 2, ...) after Trigger');
  return lines.slice(1).map((line, row) => {
    const fields = line.split(',');
    if (fields.length !== header.length) fail(row + 2, `${fields.length} fields: expected ${header.length}, as the header has`);
    const perMinute = fields.slice(KEY_COLUMNS.length).map((field, i) => {
      const count = Number(field);
      if (!/^\d+$/.test(field) || !Number.isSafeInteger(count)) fail(row + 2, `minute ${i + 1} is '${field}': expected a whole number of invocations`);
      return count;
    });
    return { name: fields[2]!, trigger: fields[3]!, perMinute };
  });
}

/**
 * Arrival times (ms from the start) of a replay: minute m's count, times `rateScale`, spread
 * evenly over [m, m + 1) minutes of `minuteSeconds` each, up to `durationSeconds`. Scaled
 * counts keep their fractions from minute to minute, so a scale of 0.5 halves the total.
 */
export function traceArrivalsMs(perMinute: readonly number[], minuteSeconds: number, rateScale: number, durationSeconds?: number): number[] {
  const minuteMs = minuteSeconds * 1000;
  const endMs = durationSeconds === undefined ? Number.POSITIVE_INFINITY : durationSeconds * 1000;
  const arrivals: number[] = [];
  let carried = 0;
  for (const [minute, count] of perMinute.entries()) {
    if (minute * minuteMs >= endMs) break;
    const scaled = count * rateScale + carried;
    const n = Math.floor(scaled);
    carried = scaled - n;
    for (let k = 0; k < n; k++) {
      const at = (minute + (k + 0.5) / n) * minuteMs;
      if (at < endMs) arrivals.push(at);
    }
  }
  return arrivals;
}

/** The counts a replay uses: one function's row, or every row summed. */
export function traceCounts(functions: readonly TraceFunction[], file: string, row?: number): number[] {
  if (row !== undefined) {
    const chosen = functions[row - 1];
    if (!chosen) throw new InputError('E_BAD_INPUT', `--trace-function ${row}: ${file} has ${functions.length} function rows`);
    return [...chosen.perMinute];
  }
  return functions[0]!.perMinute.map((_, minute) => functions.reduce((sum, f) => sum + f.perMinute[minute]!, 0));
}
