import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeHistogram, histogramOf, initHistograms, withHistogram } from '../metrics/histogram.ts';
import { summarize } from '../metrics/summary.ts';
import { InputError } from '../model/errors.ts';
import { readResultFile, writeResultFile } from './io.ts';
import { captureEnvironment } from './environment.ts';
import { RESULT_SCHEMA_VERSION, type ResultFile } from './schema.ts';

let result: ResultFile;
const dir = mkdtempSync(join(tmpdir(), 'baton-results-'));

beforeAll(async () => {
  await initHistograms();
  const [encoded, summary] = withHistogram(histogramOf([100, 200, 300]), (h) => [encodeHistogram(h), summarize(h)] as const);
  result = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    suite: 'test',
    environment: captureEnvironment('local'),
    options: { repetitions: 3, warmup: 0, target: 'local', loop: 'closed', nodes: 1, platforms: ['reference'], workloads: ['chain'] },
    cells: [
      {
        workload: 'chain',
        platform: 'reference',
        params: { length: 2 },
        status: 'ok',
        verified: true,
        runs: { warmup: 0, measured: 3 },
        coldStarts: 0,
        histograms: { e2eUs: encoded },
        summary: { e2eUs: summary },
      },
    ],
  };
});

const corrupt = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('result files', () => {
  it('round-trip, with the environment stamped', async () => {
    const file = join(dir, 'ok.json');
    writeResultFile(file, result);
    const back = await readResultFile(file);
    expect(back).toEqual(result);
    expect(back.environment.nodeVersion).toBe(process.version);
    expect(back.environment.cores).toBeGreaterThan(0);
  });

  it('are written atomically: no temp file left, a failed write keeps the old file', () => {
    const file = join(dir, 'atomic.json');
    writeResultFile(file, result);
    const before = readFileSync(file, 'utf8');
    const broken = { ...result, cells: [{ ...result.cells[0]!, status: 'weird' }] } as unknown as ResultFile;
    expect(() => writeResultFile(file, broken)).toThrow();
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  const cases: [string, () => string, RegExp][] = [
    ['a missing file', () => join(dir, 'missing.json'), /missing\.json: cannot read \(ENOENT\)/],
    ['bad JSON', () => corrupt('bad.json', '{"schemaVersion": 1,'), /bad\.json: not valid JSON/],
    ['another schema version', () => corrupt('v9.json', JSON.stringify({ ...result, schemaVersion: 9 })), /schemaVersion: expected 1, found 9/],
    [
      'a wrong field',
      () => corrupt('field.json', JSON.stringify({ ...result, cells: [{ ...result.cells[0], status: 'great' }] })),
      /field\.json: cells\[0\]\.status: /,
    ],
    [
      'a missing field',
      () => corrupt('nofield.json', JSON.stringify({ ...result, environment: { ...result.environment, cores: undefined } })),
      /environment\.cores: /,
    ],
    [
      'an ok cell with a reason',
      () => corrupt('okreason.json', JSON.stringify({ ...result, cells: [{ ...result.cells[0], reason: 'but why' }] })),
      /okreason\.json: cells\[0\]/,
    ],
    [
      'a failed cell without a reason',
      () => corrupt('noreason.json', JSON.stringify({ ...result, cells: [{ ...result.cells[0], status: 'failed' }] })),
      /noreason\.json: cells\[0\]\.reason: /,
    ],
    [
      'a corrupt histogram',
      () => corrupt('hist.json', JSON.stringify({ ...result, cells: [{ ...result.cells[0], histograms: { e2eUs: 'AAAA' } }] })),
      /cells\[0\]\.histograms\.e2eUs: not a compressed HDR histogram/,
    ],
  ];
  for (const [what, file, message] of cases) {
    it(`reject ${what}, naming the file and field`, async () => {
      const error = await readResultFile(file()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).exitCode).toBe(2);
      expect((error as Error).message).toMatch(message);
    });
  }
});

describe('results/result.schema.json', () => {
  it('is the schema the harness validates with (regenerate with npm run schema)', async () => {
    const { resultJsonSchemaText } = await import('./json-schema.ts');
    const committed = readFileSync(new URL('../../results/result.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(resultJsonSchemaText());
  });
});
