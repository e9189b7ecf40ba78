import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../model/errors.ts';
import { parseParamArgs } from './params.ts';
import { cellParams, planRun } from './plan.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-plan-'));
const suiteFile = (name: string, suite: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, typeof suite === 'string' ? suite : JSON.stringify(suite));
  return file;
};
const inputError = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
};

describe('planning a run', () => {
  it('sweeps suite parameters and applies --param only to workloads that have the key', () => {
    const plan = planRun({ suite: 'smoke', platforms: ['reference'], params: parseParamArgs(['width=2,3']) });
    const cells = plan.cells.map((c) => `${c.workload.name} ${JSON.stringify(c.params)}`);
    expect(cells).toEqual(['chain {"length":3,"payloadBytes":1024}', 'fanout {"width":2,"payloadBytes":1024}', 'fanout {"width":3,"payloadBytes":1024}']);
  });

  it('sweeps a platform setting only on the platforms that offer it, recording it where it is not the default', () => {
    const plan = planRun({
      suite: 'smoke',
      platforms: ['asf', 'reference'],
      workloads: ['chain'],
      params: parseParamArgs(['dataPassing=inline,s3', 'payloadBytes=10']),
    });
    expect(plan.cells.map((c) => `${c.platform} ${JSON.stringify(cellParams(c))}`)).toEqual([
      'asf {"length":3,"payloadBytes":10}',
      'asf {"length":3,"payloadBytes":10,"dataPassing":"s3"}',
      'reference {"length":3,"payloadBytes":10}',
    ]);
    const file = suiteFile('settings.json', {
      name: 'settings',
      description: '',
      repetitions: 1,
      warmup: 0,
      platforms: ['unum'],
      workloads: [{ name: 'chain', params: { dataPassing: ['s3', 'inline'], offloadBytes: 0 } }],
    });
    // offloadBytes matters only with dataPassing=s3: the inline cell leaves it out.
    expect(planRun({ suite: file }).cells.map((c) => c.settings)).toEqual([{ dataPassing: 's3', offloadBytes: 0 }, undefined]);
  });

  it('refuses a setting value no platform choice has, naming the choices and the platform', () => {
    const error = inputError(() => planRun({ suite: 'smoke', platforms: ['asf'], params: parseParamArgs(['dataPassing=carrier-pigeon']) }));
    expect(error.message).toMatch(/--param \(platform asf\): dataPassing=carrier-pigeon: expected one of inline, s3, redis, nested/);
    const nobody = inputError(() => planRun({ suite: 'smoke', platforms: ['reference'], params: parseParamArgs(['dataPassing=s3']) }));
    expect(nobody.message).toMatch(/--param dataPassing: no selected platform has this setting: asf, asf-express, unum/);
    const number = inputError(() => planRun({ suite: 'smoke', platforms: ['asf'], params: parseParamArgs(['offloadBytes=-1']) }));
    expect(number.message).toMatch(/offloadBytes=-1: expected an integer from 0 to 262144 bytes/);
  });

  it("takes a run's deadline from --run-timeout, else the suite, else 120 s", () => {
    expect(planRun({ suite: 'paper', platforms: ['reference'], workloads: ['chain'] }).runTimeoutSeconds).toBe(600);
    expect(planRun({ suite: 'paper', platforms: ['reference'], workloads: ['chain'], runTimeoutSeconds: 30 }).runTimeoutSeconds).toBe(30);
    expect(planRun({ suite: 'smoke', platforms: ['reference'] }).runTimeoutSeconds).toBe(120);
  });

  it('uses defaults for a workload the suite does not list', () => {
    const plan = planRun({ suite: 'smoke', platforms: ['reference'], workloads: ['chain'], params: parseParamArgs(['length=7']) });
    expect(plan.cells.map((c) => c.params)).toEqual([{ length: 7, payloadBytes: 1024 }]);
  });

  it('reads a suite file', () => {
    const file = suiteFile('mine.json', {
      name: 'mine',
      description: '',
      repetitions: 2,
      warmup: 0,
      platforms: ['reference'],
      workloads: [{ name: 'chain', params: { length: [1, 2] } }],
    });
    const plan = planRun({ suite: file });
    expect(plan.cells).toHaveLength(2);
    expect(plan.repetitions).toBe(2);
  });

  const bad: [string, () => unknown, RegExp][] = [
    ['unknown suite', () => planRun({ suite: 'nightly-ultra' }), /unknown suite 'nightly-ultra': expected one of smoke, data-passing, default/],
    ['unknown workload', () => planRun({ suite: 'smoke', workloads: ['nope'] }), /unknown workload 'nope': expected one of chain, fanout/],
    ['unknown platform', () => planRun({ suite: 'smoke', platforms: ['lambda'] }), /unknown platform 'lambda'/],
    ['negative param', () => planRun({ suite: 'smoke', params: parseParamArgs(['payloadBytes=-5']) }), /payloadBytes=-5: expected an integer from 0/],
    ['absurd param', () => planRun({ suite: 'smoke', params: parseParamArgs(['width=1e9']) }), /width=1000000000: expected an integer from 1 to 10000/],
    ['non-numeric param', () => planRun({ suite: 'smoke', params: parseParamArgs(['width=lots']) }), /--param width=lots: 'lots' is not a number/],
    [
      'param nobody has',
      () => planRun({ suite: 'smoke', params: parseParamArgs(['depth=3']) }),
      /--param depth: no selected workload or platform has this parameter/,
    ],
    ['suite that is not JSON', () => planRun({ suite: suiteFile('broken.json', '{ nope') }), /broken\.json: not valid JSON/],
    [
      'suite with a wrong field',
      () => planRun({ suite: suiteFile('field.json', { name: 'x', description: '', repetitions: 0, warmup: 0, workloads: [{ name: 'chain' }] }) }),
      /field\.json: repetitions: /,
    ],
    [
      'suite with a bad param',
      () =>
        planRun({
          suite: suiteFile('param.json', { name: 'x', description: '', repetitions: 1, warmup: 0, workloads: [{ name: 'chain', params: { length: 0 } }] }),
        }),
      /param\.json: workloads\[0\]\.params: length=0: expected an integer from 1/,
    ],
    [
      'fault nobody injects',
      () => planRun({ suite: 'smoke', platforms: ['reference'], inject: new Map([['duplicate', 0.3]]) }),
      /--inject duplicate: platform 'reference' cannot inject this fault/,
    ],
    ['nodes a platform cannot have', () => planRun({ suite: 'smoke', platforms: ['asf'], nodes: 3 }), /--nodes 3: platform 'asf' runs on at most 1 node here/],
  ];
  for (const [what, fn, message] of bad) {
    it(`refuses ${what} with exit code 2`, () => {
      const error = inputError(fn);
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(message);
    });
  }
});
