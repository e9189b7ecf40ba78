/**
 * Cells measured under a load: executions started on a schedule, overlapping, each latency
 * from its scheduled start; failures counted, a wrong output still failing the cell.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Workload } from '../model/index.ts';
import { chain } from '../../workloads/chain/index.ts';
import { resetSeen, seen } from '../testing/overlap-functions.ts';
import { planRun } from './plan.ts';
import { runPlan } from './runner.ts';
import type { Plan } from './plan.ts';
import type { LoadSpec } from '../load/load-spec.ts';

const FUNCTIONS = new URL('../testing/overlap-functions.ts', import.meta.url).href;
const overlapping: Workload = {
  name: 'overlap',
  description: 'one function that waits 30 ms',
  params: {},
  functionsUrl: FUNCTIONS,
  graph: () => ({ kind: 'task', fn: 'overlap' }),
  input: () => 7,
  verify: (output) => (output === 7 ? { ok: true } : { ok: false, reason: `got ${JSON.stringify(output)}` }),
};
const flaky: Workload = { ...overlapping, name: 'flaky', graph: () => ({ kind: 'task', fn: 'everyOther' }) };
const wrong: Workload = { ...overlapping, name: 'wrong', verify: () => ({ ok: false, reason: 'not what I wanted' }) };

const plan = (workload: Workload, load: LoadSpec, repetitions = 3): Plan => ({
  suite: 'test',
  repetitions,
  warmup: 0,
  target: 'local',
  platforms: ['inline'],
  workloads: [],
  faults: {},
  nodes: 1,
  load,
  cells: [{ workload, params: {}, platform: 'inline' }],
});

beforeEach(() => resetSeen());

describe('loads', () => {
  it('burst:N starts N executions at once, repetitions times, and measures every one', async () => {
    const result = await runPlan(plan(overlapping, { mode: 'burst', concurrency: 4 }));
    const [cell] = result.cells;
    expect(cell).toMatchObject({ status: 'ok', verified: true, runs: { measured: 12 } });
    expect(cell!.summary.e2eUs!.count).toBe(12);
    expect(cell!.load).toMatchObject({ mode: 'burst', description: 'burst:4', scheduled: 12, completed: 12, failed: 0 });
    expect(seen.maxInFlight).toBe(4); // all four of a burst at once, never more
    expect(result.options).toMatchObject({ loop: 'burst', load: 'burst:4' });
  });

  it('open:RATE/s schedules rate x duration executions and counts latency from each scheduled start', async () => {
    const result = await runPlan(plan(overlapping, { mode: 'open', ratePerSec: 100, durationSeconds: 0.5 }));
    const [cell] = result.cells;
    expect(cell!.load).toMatchObject({ scheduled: 50, completed: 50, failed: 0, offeredPerSec: 100 });
    expect(cell!.summary.e2eUs!.count).toBe(50);
    // 30 ms of work every 10 ms: they overlap, and no latency is shorter than the work.
    expect(seen.maxInFlight).toBeGreaterThan(1);
    expect(cell!.summary.e2eUs!.p50).toBeGreaterThanOrEqual(30_000);
    expect(cell!.load!.startLagUs.max).toBeGreaterThanOrEqual(cell!.load!.startLagUs.p50);
  });

  it('counts failed executions under a load, and fails the cell only when none completed', async () => {
    const result = await runPlan(plan(flaky, { mode: 'burst', concurrency: 2 }, 2));
    expect(result.cells[0]).toMatchObject({
      status: 'ok',
      load: { scheduled: 4, completed: 2, failed: 2, firstError: expect.stringContaining('every other call fails') },
    });
    expect(result.cells[0]!.summary.e2eUs!.count).toBe(2);
  });

  it('fails the cell on a wrong output, whatever the load', async () => {
    const result = await runPlan(plan(wrong, { mode: 'burst', concurrency: 2 }, 1));
    expect(result.cells[0]).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/wrong output on execution \d under --load burst:2: not what I wanted/),
    });
  });

  it('replays a trace excerpt, scaled, as planned from the file', async () => {
    const TRACE = new URL('../../data/azure-functions-trace/invocations.csv', import.meta.url).pathname;
    const planned = planRun({
      suite: 'smoke',
      platforms: ['inline'],
      workloads: ['chain'],
      params: new Map([['length', ['2']]]),
      repetitions: 1,
      warmup: 0,
      load: { load: `trace:${TRACE}`, traceMinute: '100ms', duration: '1s', traceRateScale: 2 },
    });
    // Ten trace minutes of 100 ms each, every row summed and doubled.
    expect(planned.arrivalsMs!.length).toBeGreaterThan(0);
    expect(planned.arrivalsMs!.every((ms) => ms < 1000)).toBe(true);
    const result = await runPlan(planned);
    expect(result.cells[0]).toMatchObject({ workload: chain.name, status: 'ok', load: { mode: 'trace', scheduled: planned.arrivalsMs!.length } });
    expect(result.cells[0]!.load!.completed).toBe(planned.arrivalsMs!.length);
  });

  it('refuses forced cold starts under a load that overlaps executions (exit code 2)', () => {
    expect(() =>
      planRun({ suite: 'smoke', platforms: ['inline'], workloads: ['chain'], params: new Map([['cold', ['1']]]), load: { load: 'burst:2' } }),
    ).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/cold=1: only with --load closed/) }));
  });
});
