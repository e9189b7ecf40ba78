import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../model/errors.ts';
import { runPlan } from '../runner/runner.ts';
import { importSebsFlow } from './sebsflow.ts';
import { reasonOf } from '../results/schema.ts';
import { evaluate } from '../semantics/evaluate.ts';
import type { FunctionsModule } from '../model/index.ts';

const SHARED = new URL('../../data/sebs-flow/', import.meta.url).pathname;
const EXAMPLES = new URL('../../workloads/examples/sebs-flow/', import.meta.url).pathname;
const NAMES = ['610.gen', '620.func-invo', '630.parallel-sleep', '660.map-reduce', '680.excamera'];
const imported = (name: string) => importSebsFlow(`${SHARED}${name}?mapping=${EXAMPLES}${name}.json`);

describe('SeBS-Flow importer', () => {
  it('reads a switch whose arms meet again, and a map over a field with its glue', () => {
    const graph = imported('610.gen').graph({});
    expect(graph).toMatchObject({
      kind: 'sequence',
      steps: [
        { kind: 'task', fn: 'get_astros' },
        {
          kind: 'choice',
          cases: [{ when: { field: 'astros.number', op: 'lt', value: 10 }, then: { kind: 'task', fn: 'few_people' } }, { when: { op: 'ge' } }],
          otherwise: { fn: 'few_people' },
        },
        {
          kind: 'sequence',
          steps: [
            {
              kind: 'parallel',
              branches: [{ steps: [{ fn: 'sebsflow_get_astros_people' }, { kind: 'map', body: { fn: 'map_astros' } }] }, { fn: 'sebsflow_keep' }],
            },
            { fn: 'sebsflow_put_astros_people' },
          ],
        },
        { kind: 'task', fn: 'process_astros' },
      ],
    });
  });

  it('reads repeat as a chain and loop as a map of one at a time', () => {
    expect(imported('620.func-invo').graph({})).toEqual({
      kind: 'sequence',
      steps: [{ kind: 'task', fn: 'gen' }, ...Array.from({ length: 8 }, () => ({ kind: 'task', fn: 'process' }))],
    });
    const loop = JSON.stringify(imported('680.excamera').graph({}));
    expect(loop).toContain('{"kind":"map","body":{"kind":"task","fn":"rebase"},"maxConcurrency":1}');
    // A loop drops its function's outputs: the input passes on (SeBS-Flow runs a loop for its effects).
    expect(loop).toMatch(/"fn":"sebsflow_kept"\}\]\}\]\}$/);
  });

  it('runs every shared definition on the reference runtime, verified against the oracle', async () => {
    const cells = NAMES.map((name) => ({ workload: imported(name), params: {}, platform: 'reference' }));
    const result = await runPlan({
      suite: 'test',
      repetitions: 1,
      warmup: 0,
      target: 'local',
      platforms: ['reference'],
      workloads: [],
      faults: {},
      nodes: 1,
      cells,
    });
    for (const cell of result.cells) expect({ workload: cell.workload, status: cell.status, reason: reasonOf(cell) }).toMatchObject({ status: 'ok' });
  });

  it('reads failure edges as tries: the rest of the chain as the body, the failure path as the catch', () => {
    const trip = importSebsFlow(`${EXAMPLES}trip-booking?mapping=${EXAMPLES}trip-booking.json`).graph({});
    const task = (fn: string) => ({ kind: 'task', fn });
    expect(trip).toEqual({
      kind: 'sequence',
      steps: [
        task('reserve_hotel'),
        {
          kind: 'try',
          body: {
            kind: 'sequence',
            steps: [
              task('reserve_car'),
              {
                kind: 'try',
                body: { kind: 'sequence', steps: [task('reserve_flight'), task('confirm')] },
                catch: [{ errors: ['*'], then: { kind: 'sequence', steps: [task('cancel_car'), task('cancel_hotel')] } }],
              },
            ],
          },
          catch: [{ errors: ['*'], then: task('cancel_hotel') }],
        },
      ],
    });
  });

  it('runs the saga on inline, asf, durable and reference, the compensation paths included', async () => {
    const cases = ['trip-booking', 'trip-booking-full', 'trip-booking-no-car'];
    const workloads = cases.map((name) => importSebsFlow(`${EXAMPLES}trip-booking?mapping=${EXAMPLES}${name}.json`));
    // Each mapping is its own workload: a result file keeps the three endings apart, and compare never pairs them.
    expect(new Set(workloads.map((w) => w.name)).size).toBe(3);
    const platforms = ['inline', 'asf', 'durable', 'reference'];
    const result = await runPlan({
      suite: 'test',
      repetitions: 1,
      warmup: 0,
      target: 'local',
      platforms,
      workloads: [],
      faults: {},
      nodes: 1,
      cells: workloads.flatMap((workload) => platforms.map((platform) => ({ workload, params: {}, platform }))),
    });
    for (const cell of result.cells) expect({ platform: cell.platform, status: cell.status, reason: reasonOf(cell) }).toMatchObject({ status: 'ok' });
    // What each cell was verified against: the oracle's outputs, the saga's three endings.
    const outputs = await Promise.all(
      workloads.map(async (w) => evaluate(w.graph({}), w.input({}), ((await import(w.functionsUrl)) as FunctionsModule).functions)),
    );
    expect(outputs).toEqual([
      { trip: 't1', seats: 3, hotel: 'hotel-t1', car: 'car-t1', flight: 'flight-t1', status: 'confirmed' },
      { trip: 't2', seats: 0, hotel: null, car: null, status: 'cancelled', reason: 'FlightFull' },
      { trip: 't3', seats: 3, cars: 0, hotel: null, status: 'cancelled', reason: 'NoCar' },
    ]);
  }, 180_000);

  it("hands a parallel's outputs on by branch root, as SeBS-Flow does", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-sebsflow-'));
    try {
      writeFileSync(join(dir, 'mapping.json'), JSON.stringify({ functions: `${EXAMPLES}trip-booking/functions.ts`, input: { trip: 'p' } }));
      const branch = (fn: string) => ({ root: fn, states: { [fn]: { type: 'task', func_name: fn } } });
      writeFileSync(
        join(dir, 'definition.json'),
        JSON.stringify({ root: 'both', states: { both: { type: 'parallel', parallel_functions: [branch('reserve_hotel'), branch('reserve_car')] } } }),
      );
      const workload = importSebsFlow(dir);
      const output = await evaluate(workload.graph({}), workload.input({}), ((await import(workload.functionsUrl)) as FunctionsModule).functions);
      expect(output).toEqual({ reserve_hotel: { trip: 'p', hotel: 'hotel-p' }, reserve_car: { trip: 'p', car: 'car-p' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what the model cannot express, naming the file and state', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-sebsflow-'));
    try {
      writeFileSync(join(dir, 'mapping.json'), JSON.stringify({ functions: `${EXAMPLES}610.gen/functions.ts`, input: [] }));
      const write = (definition: unknown) => writeFileSync(join(dir, 'definition.json'), JSON.stringify(definition));
      write({ root: 'a', states: { a: { type: 'task', func_name: 'get_astros', failure: 'nowhere' } } });
      expect(() => importSebsFlow(dir)).toThrow(/definition\.json: state 'a': failure: expected the name of a state/);
      write({ root: 'a', states: { a: { type: 'wait', seconds: 1 } } });
      expect(() => importSebsFlow(dir)).toThrow(InputError);
      expect(() => importSebsFlow(`${dir}?mapping=${dir}/none.json`)).toThrow(/needs a mapping file/);
      // A repeat of 1e8 would unroll into a graph of 1e8 tasks: refused, not built until memory runs out.
      write({ root: 'a', states: { a: { type: 'repeat', func_name: 'get_astros', count: 1e8 } } });
      expect(() => importSebsFlow(dir)).toThrow(/state 'a': count 100000000: expected a whole number from 1 to 10000/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
