/**
 * Pheromone's Figure 2 from a real (small) run of the data-passing suite on every platform
 * it names: every mechanism is a series or, where a platform cannot run it, an explicit
 * "unsupported" mark with its reason; nothing is left out.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runPlan } from '../runner/runner.ts';
import { planRun } from '../runner/plan.ts';
import { parseParamArgs } from '../runner/params.ts';
import type { ResultFile } from '../results/schema.ts';
import { writeFigures, type FiguresOutput } from './figures.ts';
import { seriesOf } from './style.ts';

let dir: string;
let result: ResultFile;
let output: FiguresOutput;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-dp-figure-'));
  // Two sizes: one every mechanism carries, one over Step Functions' 256 KiB and Unum's DynamoDB item.
  const plan = planRun({ suite: 'data-passing', params: parseParamArgs(['payloadBytes=1024,409600']), repetitions: 2, warmup: 0 });
  result = await runPlan(plan);
  output = await writeFigures([{ file: 'run.json', result }], dir);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the data-passing figure', () => {
  test('draws every series of the suite, and every cell it could not run as a mark with its reason', () => {
    const figure = output.figures.find((f) => f.id === 'data-passing');
    expect(figure).toBeDefined();
    const svg = readFileSync(figure!.svg, 'utf8');
    const series = [...new Set(result.cells.map((c) => seriesOf(c)))];
    // asf in Step Functions, S3, Redis and nested; Unum in DynamoDB and S3 (and its refusals); Durable; the reference runtime.
    expect(series.sort()).toEqual([
      'asf',
      'asf + nested',
      'asf + redis',
      'asf + s3',
      'durable',
      'reference',
      'unum',
      'unum + nested',
      'unum + redis',
      'unum + s3',
    ]);
    for (const name of series) expect(svg, name).toContain(name);
    // Step Functions refuses 400 KiB inline; Unum's DynamoDB item too: both drawn as marks, with the limit named.
    expect(svg).toMatch(/asf: the workflow input is over the 256 KiB execution input limit/);
    expect(svg).toMatch(/unum: data over a limit of the services Unum uses/);
    // Everything else ran: S3 carries 400 KiB on both AWS platforms.
    const ok = (name: string, bytes: number) => result.cells.find((c) => seriesOf(c) === name && c.params['payloadBytes'] === bytes)?.status;
    expect(ok('asf + s3', 409600)).toBe('ok');
    expect(ok('unum + s3', 409600)).toBe('ok');
    expect(ok('reference', 409600)).toBe('ok');
  });
});
