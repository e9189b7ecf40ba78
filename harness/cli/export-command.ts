/** `baton export FILES... --format csv|parquet --out DIR`: executions and invocations as tables. */
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { InputError } from '../model/errors.ts';
import { exportTables, toCsv, type Column } from '../results/export-tables.ts';
import { readResultFile, writeFileAtomic } from '../results/io.ts';
import { checkWritableDir } from '../results/output-file.ts';

const PARQUET_TYPE = { string: 'STRING', double: 'DOUBLE', int: 'INT64', boolean: 'BOOLEAN' } as const;

export async function exportCommand(files: string[], options: { format: string; out: string }): Promise<void> {
  if (options.format !== 'csv' && options.format !== 'parquet') throw new InputError('E_BAD_INPUT', `--format ${options.format}: expected csv or parquet`);
  if (files.length === 0) throw new InputError('E_BAD_INPUT', 'baton export: name at least one result file');
  const out = checkWritableDir(options.out);
  const results = [];
  for (const file of files) results.push({ file, result: await readResultFile(file) });
  const tables = exportTables(results);
  const written: string[] = [];
  for (const [name, table] of Object.entries(tables) as [string, Column[]][]) {
    const path = join(out, `${name}.${options.format}`);
    writeFileAtomic(path, options.format === 'csv' ? toCsv(table) : parquet(table));
    written.push(`${path} (${table[0]?.values.length ?? 0} rows)`);
  }
  const empty = results.filter(({ result }) => !result.cells.some((c) => c.samples)).map(({ file }) => file);
  if (empty.length > 0)
    process.stderr.write(`no executions recorded in ${empty.join(', ')} (failed or unsupported cells only, or written before Baton kept samples)\n`);
  process.stdout.write(`${written.join('\n')}\n`);
}

function parquet(table: readonly Column[]): Uint8Array {
  // int64 columns take bigints; nulls stay null (an optional column).
  const columnData = table.map((c) => ({
    name: c.name,
    type: PARQUET_TYPE[c.type],
    data: c.type === 'int' ? c.values.map((v) => (v === null ? null : BigInt(v as number))) : c.values,
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}
