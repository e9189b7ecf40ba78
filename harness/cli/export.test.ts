/**
 * `baton export` from a real run, read back by DuckDB (an outside reader of both formats):
 * the tables have the expected columns and types, a row per measured execution and
 * invocation, and the values the result file holds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResultFile } from '../results/io.ts';
import type { ResultFile } from '../results/schema.ts';

const BIN = new URL('../../bin/baton.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'baton-export-'));
let result: ResultFile;
let db: DuckDBConnection;

const baton = (args: string[]) => {
  const child = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (child.status !== 0) throw new Error(`baton ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return child;
};

beforeAll(async () => {
  baton(['run', '--suite', 'smoke', '--platform', 'reference', '--repetitions', '4', '--warmup', '1', '--out', 'run.json']);
  result = await readResultFile(join(dir, 'run.json'));
  baton(['export', 'run.json', '--out', 'csv']);
  baton(['export', 'run.json', '--format', 'parquet', '--out', 'parquet']);
  db = await (await DuckDBInstance.create(':memory:')).connect();
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const query = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();

describe('baton export', () => {
  for (const format of ['csv', 'parquet'] as const) {
    const from = (table: string) =>
      format === 'csv' ? `read_csv('${join(dir, 'csv', `${table}.csv`)}')` : `read_parquet('${join(dir, 'parquet', `${table}.parquet`)}')`;

    it(`writes ${format} that DuckDB reads: a row per execution, with its latency`, async () => {
      const columns = await query(`select column_name, column_type from (describe select * from ${from('executions')})`);
      expect(columns.map((c) => c['column_name'])).toEqual([
        'result_file',
        'workload',
        'params',
        'platform',
        'load',
        'execution',
        'start_ms',
        'e2e_us',
        'critical_path_us',
        'overhead_us',
        'cold_starts',
      ]);
      expect(columns.find((c) => c['column_name'] === 'e2e_us')!['column_type']).toBe('DOUBLE');
      const rows = await query(`select workload, platform, count(*) as n, median(e2e_us) as p50 from ${from('executions')} group by all order by workload`);
      expect(rows.map((r) => [r['workload'], r['platform'], Number(r['n'])])).toEqual([
        ['chain', 'reference', 4],
        ['fanout', 'reference', 4],
      ]);
      const chain = result.cells.find((c) => c.workload === 'chain')!;
      const sorted = [...chain.samples!.executions.e2eUs].sort((a, b) => a - b);
      expect(Number(rows[0]!['p50'])).toBeCloseTo((sorted[1]! + sorted[2]!) / 2, 3);
    });

    it(`writes ${format} invocations: functions, transitions (null where no parent) and cold starts`, async () => {
      const [counts] = await query(
        `select count(*) as n, count(transition_us) as with_parent, bool_or(cold) as any_cold, min(duration_us) >= 0 as durations from ${from('invocations')}`,
      );
      const expected = result.cells.reduce((n, c) => n + (c.samples?.invocations.fn.length ?? 0), 0);
      expect(Number(counts!['n'])).toBe(expected);
      const parents = result.cells.reduce((n, c) => n + (c.samples?.invocations.transitionUs.filter((t) => t !== null).length ?? 0), 0);
      expect(Number(counts!['with_parent'])).toBe(parents);
      expect(counts!['durations']).toBe(true);
      const [types] = await query(`select typeof(cold) as cold, typeof(in_bytes) as bytes from ${from('invocations')} limit 1`);
      expect(types).toEqual({ cold: 'BOOLEAN', bytes: 'BIGINT' });
    });
  }

  it('refuses a format it does not write (exit code 2)', () => {
    const child = spawnSync(process.execPath, [BIN, 'export', 'run.json', '--format', 'xlsx'], { cwd: dir, encoding: 'utf8' });
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/xlsx/);
  });
});
