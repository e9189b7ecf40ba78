import { describe, expect, it } from 'vitest';
import type { Workload } from '../model/index.ts';
import { PROBE_FUNCTIONS_URL } from '../conformance/probes.ts';
import { chain } from '../../workloads/chain/index.ts';
import { runPlan } from './runner.ts';
import type { Plan } from './plan.ts';
import { reasonOf } from '../results/schema.ts';

const failing: Workload = {
  name: 'failing',
  description: 'second function throws',
  params: {},
  functionsUrl: PROBE_FUNCTIONS_URL,
  graph: () => ({
    kind: 'sequence',
    steps: [
      { kind: 'task', fn: 'inc' },
      { kind: 'task', fn: 'fail' },
    ],
  }),
  input: () => 1,
  verify: () => ({ ok: true }),
};
const wrong: Workload = { ...failing, name: 'wrong', graph: () => ({ kind: 'task', fn: 'inc' }), verify: () => ({ ok: false, reason: 'not what I wanted' }) };

describe('runner', () => {
  it('records failures as data and runs the rest of the suite', async () => {
    const plan: Plan = {
      suite: 'test',
      repetitions: 3,
      warmup: 1,
      target: 'local',
      platforms: ['reference'],
      workloads: [],
      faults: {},
      nodes: 1,
      cells: [
        { workload: failing, params: {}, platform: 'reference' },
        { workload: wrong, params: {}, platform: 'reference' },
        { workload: chain, params: { length: 3, payloadBytes: 100 }, platform: 'reference' },
      ],
    };
    const result = await runPlan(plan);
    const [fail, bad, ok] = result.cells;
    expect(fail).toMatchObject({ status: 'failed', verified: false });
    expect(reasonOf(fail!)).toMatch(/probe failure/);
    expect(bad).toMatchObject({ status: 'failed', reason: 'wrong output on run 1: not what I wanted' });
    expect(ok).toMatchObject({ status: 'ok', verified: true, runs: { warmup: 1, measured: 3 } });
    expect(ok!.summary.e2eUs!.count).toBe(3);
    expect(ok!.summary.transitionUs!.count).toBe(6); // 2 transitions per run of a 3-chain
  });
});

describe('runner, unsupported', () => {
  it('marks a cell the platform cannot run as unsupported, with the reason', async () => {
    const plan: Plan = {
      suite: 'test',
      repetitions: 1,
      warmup: 0,
      target: 'cloud',
      platforms: ['reference'],
      workloads: [],
      faults: {},
      nodes: 1,
      cells: [{ workload: chain, params: { length: 2, payloadBytes: 10 }, platform: 'reference' }],
    };
    const [cell] = (await runPlan(plan)).cells;
    expect(cell).toMatchObject({ status: 'unsupported', verified: false });
    expect(reasonOf(cell!)).toMatch(/runs on this machine only/);
  });
});

describe('runner, cell budget', () => {
  it('stops measuring a cell once its budget is spent, after the minimum number of runs', async () => {
    const plan: Plan = {
      suite: 'test',
      repetitions: 10_000,
      warmup: 1,
      cellBudgetSeconds: 0.001,
      target: 'local',
      platforms: ['reference'],
      workloads: [],
      faults: {},
      nodes: 1,
      cells: [{ workload: chain, params: { length: 2, payloadBytes: 10 }, platform: 'reference' }],
    };
    const result = await runPlan(plan);
    expect(result.options.cellBudgetSeconds).toBe(0.001);
    expect(result.cells[0]).toMatchObject({ status: 'ok', runs: { warmup: 1, measured: 5 } });
  });
});
