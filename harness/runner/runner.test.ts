import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../model/errors.ts';
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

const hanging: Workload = { ...failing, name: 'hanging', graph: () => ({ kind: 'task', fn: 'hang' }) };
const basePlan = { suite: 'test', repetitions: 2, warmup: 0, target: 'local', platforms: ['reference'], workloads: [], faults: {}, nodes: 1 } as const;

describe('runner, deadlines', () => {
  it('fails a run that never returns at its deadline, restarts the platform, and runs the next cell', async () => {
    const plan: Plan = {
      ...basePlan,
      runTimeoutSeconds: 1,
      cells: [
        { workload: hanging, params: {}, platform: 'reference' },
        { workload: chain, params: { length: 2, payloadBytes: 10 }, platform: 'reference' },
      ],
    };
    const [hung, next] = (await runPlan(plan)).cells;
    expect(hung).toMatchObject({ status: 'failed' });
    expect(reasonOf(hung!)).toMatch(/^no result within the run deadline of 1 s \(--run-timeout\): measured run 1 of 2 on reference$/);
    expect(next).toMatchObject({ status: 'ok', verified: true });
  });
});

describe('runner, broken platforms', () => {
  it('restarts a reference cluster whose node a function killed, so the next cell runs', async () => {
    const killer: Workload = { ...failing, name: 'killer', graph: () => ({ kind: 'task', fn: 'killHost' }) };
    const plan: Plan = {
      ...basePlan,
      nodes: 2,
      cells: [
        { workload: killer, params: {}, platform: 'reference' },
        { workload: chain, params: { length: 2, payloadBytes: 10 }, platform: 'reference' },
      ],
    };
    const [killed, next] = (await runPlan(plan)).cells;
    expect(killed).toMatchObject({ status: 'failed' });
    expect(next).toMatchObject({ status: 'ok', verified: true });
  });
});

describe('runner, warm-up within the budget', () => {
  it('stops warming up once the cell budget is spent', async () => {
    const plan: Plan = {
      ...basePlan,
      repetitions: 5,
      warmup: 10_000,
      cellBudgetSeconds: 0.001,
      cells: [{ workload: chain, params: { length: 2, payloadBytes: 10 }, platform: 'reference' }],
    };
    const [cell] = (await runPlan(plan)).cells;
    expect(cell).toMatchObject({ status: 'ok', runs: { warmup: 1, measured: 5 } });
  });
});

describe('runner, memory', () => {
  it('refuses a cell whose data would not fit under --max-memory, with the estimate, before it runs', async () => {
    const plan: Plan = {
      ...basePlan,
      maxMemoryBytes: 64 * 2 ** 20,
      cells: [
        { workload: chain, params: { length: 2, payloadBytes: 16 * 2 ** 20 }, platform: 'reference' },
        { workload: chain, params: { length: 2, payloadBytes: 48 * 2 ** 20 }, platform: 'reference' },
        { workload: chain, params: { length: 2, payloadBytes: 16 * 2 ** 20 }, platform: 'durable' },
      ],
    };
    const [fits, over, copies] = (await runPlan({ ...plan, platforms: ['reference', 'durable'] })).cells;
    expect(fits).toMatchObject({ status: 'ok' });
    expect(over).toMatchObject({ status: 'unsupported', runs: { measured: 0 } });
    expect(reasonOf(over!)).toBe('needs about 96 MB of memory at once (96 MB of data, 1 copy on reference), over --max-memory 64 MB');
    // The same data fits on the reference runtime but not where payloads travel as JSON, kept in a history.
    expect(reasonOf(copies!)).toBe('needs about 128 MB of memory at once (32 MB of data, 4 copies on durable), over --max-memory 64 MB');
  }, 120_000);
});

describe('runner, interrupts', () => {
  it('keeps the finished cells, marks the result interrupted, and snapshots after every cell', async () => {
    const controller = new AbortController();
    const snapshots: { cells: number; interrupted: boolean }[] = [];
    const plan: Plan = {
      ...basePlan,
      cells: [
        { workload: chain, params: { length: 2, payloadBytes: 10 }, platform: 'reference' },
        { workload: chain, params: { length: 3, payloadBytes: 10 }, platform: 'reference' },
        { workload: hanging, params: {}, platform: 'reference' },
        { workload: chain, params: { length: 4, payloadBytes: 10 }, platform: 'reference' },
      ],
    };
    const result = await runPlan(
      plan,
      {
        cellStarted: (_cell, index) => {
          if (index === 2) setTimeout(() => controller.abort(new InterruptedError('SIGINT')), 200);
        },
      },
      { signal: controller.signal, onSnapshot: (snapshot) => snapshots.push({ cells: snapshot.cells.length, interrupted: snapshot.interrupted === true }) },
    );
    expect(result.interrupted).toBe(true);
    expect(result.cells.map((c) => c.params['length'])).toEqual([2, 3]);
    // After each finished cell, marked interrupted (the plan was not done).
    expect(snapshots).toEqual([1, 2].map((cells) => ({ cells, interrupted: true })));
  });
});

describe('runner, teardown', () => {
  it("reports a deployment it could not remove in the cell, and keeps the cell's measurements", async () => {
    const { InlineAdapter } = await import('../../platforms/inline/adapter.ts');
    const { runCell } = await import('./run-cell.ts');
    // A platform whose deletes fail, as a cloud's may (permissions, throttling): everything else is inline's.
    const adapter = new InlineAdapter();
    adapter.teardown = async () => {
      throw new Error('AccessDenied: not allowed to delete');
    };
    const { initHistograms } = await import('../metrics/histogram.ts');
    await initHistograms();
    const result = await runCell(
      adapter,
      { workload: chain, params: { length: 2, payloadBytes: 16 }, platform: 'inline' },
      { repetitions: 2, warmup: 0, target: 'local', faults: {} },
    );
    expect(result).toMatchObject({ status: 'ok', verified: true, runs: { measured: 2 }, teardownError: 'AccessDenied: not allowed to delete' });
  });
});
