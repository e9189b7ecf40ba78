/**
 * Result files as two tables a notebook loads (pandas, R, DuckDB): one row per measured
 * execution and one per invocation, with units in the column names. Cells that measured
 * nothing (failed, unsupported) or were written before Baton kept samples have no rows.
 */
import type { ResultFile } from './schema.ts';

export type Column = { readonly name: string; readonly type: 'string' | 'double' | 'int' | 'boolean'; readonly values: (string | number | boolean | null)[] };

export interface Tables {
  readonly executions: Column[];
  readonly invocations: Column[];
}

export function exportTables(files: readonly { readonly file: string; readonly result: ResultFile }[]): Tables {
  const ex = columns({
    result_file: 'string',
    workload: 'string',
    params: 'string',
    platform: 'string',
    load: 'string',
    execution: 'int',
    start_ms: 'double',
    e2e_us: 'double',
    critical_path_us: 'double',
    overhead_us: 'double',
    cold_starts: 'int',
  });
  const inv = columns({
    result_file: 'string',
    workload: 'string',
    params: 'string',
    platform: 'string',
    execution: 'int',
    fn: 'string',
    attempt: 'int',
    start_us: 'double',
    duration_us: 'double',
    transition_us: 'double',
    cold: 'boolean',
    in_bytes: 'int',
    out_bytes: 'int',
    storage_us: 'double',
    worker: 'string',
  });
  for (const { file, result } of files) {
    for (const cell of result.cells) {
      const samples = cell.samples;
      if (!samples) continue;
      const params = Object.entries(cell.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      const load = cell.load?.description ?? result.options.load ?? 'closed';
      const e = samples.executions;
      for (let row = 0; row < e.e2eUs.length; row++) {
        ex.push({
          result_file: file,
          workload: cell.workload,
          params,
          platform: cell.platform,
          load,
          execution: row,
          start_ms: e.startMs[row]!,
          e2e_us: e.e2eUs[row]!,
          critical_path_us: e.criticalPathUs[row]!,
          overhead_us: Math.round(Math.max(0, e.e2eUs[row]! - e.criticalPathUs[row]!) * 1000) / 1000,
          cold_starts: e.coldStarts[row]!,
        });
      }
      const i = samples.invocations;
      for (let row = 0; row < i.fn.length; row++) {
        inv.push({
          result_file: file,
          workload: cell.workload,
          params,
          platform: cell.platform,
          execution: i.execution[row]!,
          fn: i.fn[row]!,
          attempt: i.attempt[row]!,
          start_us: i.startUs[row]!,
          duration_us: i.durationUs[row]!,
          transition_us: i.transitionUs[row]!,
          cold: i.cold[row]!,
          in_bytes: i.inBytes[row]!,
          out_bytes: i.outBytes[row]!,
          storage_us: i.storageUs[row]!,
          worker: i.worker[row]!,
        });
      }
    }
  }
  return { executions: ex.columns, invocations: inv.columns };
}

function columns<Names extends string>(types: Record<Names, Column['type']>) {
  const list: Column[] = Object.entries(types).map(([name, type]) => ({ name, type: type as Column['type'], values: [] }));
  return {
    columns: list,
    push(row: Record<Names, string | number | boolean | null>): void {
      for (const column of list) column.values.push(row[column.name as Names]);
    },
  };
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; null is an empty field. */
export function toCsv(table: readonly Column[]): string {
  const field = (v: string | number | boolean | null): string => {
    if (v === null) return '';
    const text = String(v);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rows = table[0]?.values.length ?? 0;
  const lines = [table.map((c) => field(c.name)).join(',')];
  for (let r = 0; r < rows; r++) lines.push(table.map((c) => field(c.values[r]!)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
