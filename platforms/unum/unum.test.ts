import { beforeAll, describe, expect, it } from 'vitest';
import { initHistograms } from '../../harness/metrics/histogram.ts';
import { runCell } from '../../harness/runner/run-cell.ts';
import { fanout } from '../../workloads/fanout/index.ts';
import { chain } from '../../workloads/chain/index.ts';
import { PROBES, PROBE_FUNCTIONS_URL } from '../../harness/conformance/probes.ts';
import { readFileSync } from 'node:fs';
import { aslToGraph } from '../../harness/importers/asl.ts';
import { UnumAdapter, compileUnum } from './index.ts';

/**
 * A Step Functions definition straight to Unum IR, as Unum's own compiler reads one: each
 * Task a function named after its state; data-flow fields and retry policies left to the
 * functions. (The ASL importer gives the structure; the Unum compiler the IR.)
 */
const compileUnumFromAsl = (definition: unknown, file: string) => compileUnum(aslToGraph(definition, file, (stateName) => stateName, { structureOnly: true }));

beforeAll(() => initHistograms());

describe('Unum IR', () => {
  it("compiles a map to a Map edge and a fan-in over the body's instances", () => {
    // Names are numbered as the compiler meets them, back to front: gather-1, work-2, then a
    // $spread-3 that scatter-4 absorbs (its only next), so scatter fans out itself.
    expect(compileUnum(fanout.graph({ width: 4, payloadBytes: 1 }))).toEqual({
      start: 'scatter-4',
      configs: {
        'scatter-4': { Name: 'scatter-4', Checkpoint: true, Function: 'scatter', Start: true, Next: [{ Name: 'work-2', InputType: 'Map' }] },
        'work-2': {
          Name: 'work-2',
          Checkpoint: true,
          Function: 'work',
          Next: [{ Name: 'gather-1', InputType: { 'Fan-in': { Values: ['work-2-unumIndex-*'] } } }],
        },
        'gather-1': { Name: 'gather-1', Checkpoint: true, Function: 'gather' },
      },
    });
  });

  it("compiles a parallel to one entry per branch and a fan-in over the branches' last functions", () => {
    // parallel [inc, double, (double; double)] with nothing after it: Baton's $spread fans out, $collect joins.
    // Branch i's last function is Values[i]: the third branch runs double-5 then double-4.
    const ir = compileUnum(PROBES.parallel.graph);
    const values = { Values: ['inc-2-unumIndex-*', 'double-3-unumIndex-*', 'double-4-unumIndex-*'] };
    expect(ir).toEqual({
      start: '$spread-6',
      configs: {
        '$collect-1': { Name: '$collect-1', Checkpoint: true, Function: '$collect' },
        'inc-2': { Name: 'inc-2', Checkpoint: true, Function: 'inc', Next: [{ Name: '$collect-1', InputType: { 'Fan-in': values } }] },
        'double-3': { Name: 'double-3', Checkpoint: true, Function: 'double', Next: [{ Name: '$collect-1', InputType: { 'Fan-in': values } }] },
        'double-4': { Name: 'double-4', Checkpoint: true, Function: 'double', Next: [{ Name: '$collect-1', InputType: { 'Fan-in': values } }] },
        'double-5': { Name: 'double-5', Checkpoint: true, Function: 'double', Next: [{ Name: 'double-4', InputType: 'Scalar' }] },
        '$spread-6': {
          Name: '$spread-6',
          Checkpoint: true,
          Function: '$spread',
          Start: true,
          Next: [
            { Name: 'inc-2', InputType: 'Scalar' },
            { Name: 'double-3', InputType: 'Scalar' },
            { Name: 'double-5', InputType: 'Scalar' },
          ],
        },
      },
    });
  });
});

describe('Unum IR from the shared ASL corpus', () => {
  const corpus = new URL('../../data/asl/workflows-collection/', import.meta.url).pathname;
  const read = (name: string) => JSON.parse(readFileSync(corpus + name, 'utf8')) as unknown;

  it('a Parallel of three Lambda tasks (synchronous-api)', () => {
    const values = { Values: ['sumFunction-2-unumIndex-*', 'AvgFunction-3-unumIndex-*', 'MaxMinFunction-4-unumIndex-*'] };
    const fanIn = [{ Name: '$collect-1', InputType: { 'Fan-in': values } }];
    expect(compileUnumFromAsl(read('synchronous-api__statemachine__statemachine.asl.json'), 'synchronous-api')).toEqual({
      start: '$spread-5',
      configs: {
        '$collect-1': { Name: '$collect-1', Checkpoint: true, Function: '$collect' },
        'sumFunction-2': { Name: 'sumFunction-2', Checkpoint: true, Function: 'sumFunction', Next: fanIn },
        'AvgFunction-3': { Name: 'AvgFunction-3', Checkpoint: true, Function: 'AvgFunction', Next: fanIn },
        'MaxMinFunction-4': { Name: 'MaxMinFunction-4', Checkpoint: true, Function: 'MaxMinFunction', Next: fanIn },
        '$spread-5': {
          Name: '$spread-5',
          Checkpoint: true,
          Function: '$spread',
          Start: true,
          Next: [
            { Name: 'sumFunction-2', InputType: 'Scalar' },
            { Name: 'AvgFunction-3', InputType: 'Scalar' },
            { Name: 'MaxMinFunction-4', InputType: 'Scalar' },
          ],
        },
      },
    });
  });

  it('a Map between tasks (image-processing-app): the task before it fans out, the task after it fans in', () => {
    expect(compileUnumFromAsl(read('image-processing-app__statemachine__statemachine.asl.json'), 'image-processing-app')).toEqual({
      start: 'Create_S3_Bucket-5',
      configs: {
        'Generate_Zip_File-1': { Name: 'Generate_Zip_File-1', Checkpoint: true, Function: 'Generate Zip File' },
        'Generate_Cheque_Images-2': {
          Name: 'Generate_Cheque_Images-2',
          Checkpoint: true,
          Function: 'Generate Cheque Images',
          Next: [{ Name: 'Generate_Zip_File-1', InputType: { 'Fan-in': { Values: ['Generate_Cheque_Images-2-unumIndex-*'] } } }],
        },
        'Get_Cheque_IDs-4': {
          Name: 'Get_Cheque_IDs-4',
          Checkpoint: true,
          Function: 'Get Cheque IDs',
          Next: [{ Name: 'Generate_Cheque_Images-2', InputType: 'Map' }],
        },
        'Create_S3_Bucket-5': {
          Name: 'Create_S3_Bucket-5',
          Checkpoint: true,
          Function: 'Create S3 Bucket',
          Start: true,
          Next: [{ Name: 'Get_Cheque_IDs-4', InputType: 'Scalar' }],
        },
      },
    });
  });
});

describe('Unum IR, conditionals and loops', () => {
  it('compiles a choice to Conditional entries that exclude each other, and a fold to a self-invoking node', () => {
    const ir = compileUnum(PROBES.choice.graph);
    const entries = ir.configs[ir.start]!.Next!;
    expect(entries.map((e) => e.Conditional)).toEqual(['$ret > 10', '!($ret > 10)']);
    expect(entries.map((e) => ir.configs[e.Name]!.Function)).toEqual(['double', 'inc']);
    const fold = compileUnum(PROBES.fold.graph);
    expect(fold.configs[fold.start]).toEqual({ Name: 'foldStep-1', Checkpoint: true, Function: 'foldStep', Loop: true, Start: true });
  });
});

describe('Unum when a function dies', () => {
  it('a function that throws once is retried by Lambda (its asynchronous retries) and the run completes', async () => {
    const adapter = new UnumAdapter();
    try {
      const graph = {
        kind: 'sequence',
        steps: [
          { kind: 'task', fn: 'inc' },
          { kind: 'task', fn: 'failOnce' },
          { kind: 'task', fn: 'inc' },
        ],
      } as const;
      const deployment = await adapter.deploy({ name: 'transient', graph, functionsUrl: PROBE_FUNCTIONS_URL }, { target: 'local' });
      expect((await adapter.run(deployment, 1, { cold: false, faults: {} })).output).toBe(3);
      await adapter.teardown(deployment);
    } finally {
      await adapter.close();
    }
  });

  it('fails the run once Lambda has given up on a function that exits its process (its on-failure destination), not at the deadline', async () => {
    const adapter = new UnumAdapter();
    try {
      const deployment = await adapter.deploy(
        {
          name: 'exits',
          graph: {
            kind: 'sequence',
            steps: [
              { kind: 'task', fn: 'inc' },
              { kind: 'task', fn: 'exitProcess' },
            ],
          },
          functionsUrl: PROBE_FUNCTIONS_URL,
        },
        { target: 'local' },
      );
      // A deadline far past the test's own timeout: the run must fail on the exits (three attempts), not wait.
      await expect(adapter.run(deployment, 1, { cold: false, faults: {}, timeoutMs: 3_600_000 })).rejects.toThrow(
        /exitProcess-\d+ failed 3 times \(RetriesExhausted\): Runtime\.ExitError: Runtime exited with error: exit status 3/,
      );
      await adapter.teardown(deployment);
    } finally {
      await adapter.close();
    }
  });
});

describe('Unum under faults', () => {
  it('fans out to 64 with duplicates (p=0.3) and crashes at three points (p=0.1) and uses each result exactly once', async () => {
    const adapter = new UnumAdapter();
    try {
      const width = 64;
      const cell = await runCell(
        adapter,
        { workload: fanout, params: { width, payloadBytes: 64 }, platform: 'unum' },
        {
          repetitions: 1,
          warmup: 0,
          target: 'local',
          faults: { duplicate: 0.3, 'crash-before-checkpoint': 0.1, 'crash-after-checkpoint': 0.1, 'crash-after-fan-in-check': 0.5 },
        },
      );
      expect(cell).toMatchObject({ status: 'ok', verified: true });
      const faults = cell.faults!;
      expect(faults['duplicatesInjected']).toBeGreaterThan(5);
      expect(faults['crash-before-checkpoint']).toBeGreaterThanOrEqual(1);
      expect(faults['crash-after-checkpoint']).toBeGreaterThanOrEqual(1);
      expect((faults['duplicatesDiscarded'] ?? 0) + (faults['checkpointsReused'] ?? 0)).toBeGreaterThan(5);
      // Exactly once: one record per function instance, whatever ran twice.
      expect(cell.summary.transitionUs!.count).toBe(width + 1);
      for (const part of ['storeWriteUs', 'storeReadUs', 'invokeUs'] as const) expect(cell.summary[part]!.count).toBeGreaterThan(width);
      expect(cell.cost!.breakdown['aws.dynamodb.writeRequestUnit']).toBeGreaterThan(0);
      // The cell says where it ran, and was priced there (the stand-ins answer as us-east-1).
      expect(cell.region).toBe('us-east-1');
    } finally {
      await adapter.close();
    }
  }, 120_000);
});

describe("Unum's fan-in rule", () => {
  it('survives a branch that dies after seeing the fan-in complete, before invoking it: its retry invokes it, and the checkpoint absorbs repeats', async () => {
    const adapter = new UnumAdapter();
    try {
      const cell = await runCell(
        adapter,
        { workload: fanout, params: { width: 8, payloadBytes: 64 }, platform: 'unum' },
        { repetitions: 2, warmup: 0, target: 'local', faults: { 'crash-after-fan-in-check': 1 } },
      );
      expect(cell).toMatchObject({ status: 'ok', verified: true });
      expect(cell.faults!['crash-after-fan-in-check']).toBeGreaterThanOrEqual(2); // at least one per run
    } finally {
      await adapter.close();
    }
  }, 120_000);
});

describe('Unum with data by pointers', () => {
  it('runs mapreduce at 0.2 MB under faults: fan-ins send names, the aggregators read the store, late duplicates stop at collected checkpoints', async () => {
    const adapter = new UnumAdapter();
    try {
      const { mapreduce } = await import('../../workloads/mapreduce/index.ts');
      const cell = await runCell(
        adapter,
        { workload: mapreduce, params: { mappers: 4, reducers: 4, megabytes: 0.2 }, platform: 'unum' },
        { repetitions: 2, warmup: 0, target: 'local', faults: { duplicate: 0.3, 'crash-after-checkpoint': 0.1, 'crash-after-fan-in-check': 0.3 } },
      );
      expect(cell.status === 'ok' ? 'ok' : `${cell.status}: ${cell.reason}`).toBe('ok');
      expect(cell.verified).toBe(true);
    } finally {
      await adapter.close();
    }
  }, 180_000);
});

describe('Unum Map start', () => {
  it("unum-sequential starts a Map's branches one invoke after another, as Unum's runtime does, with the same result", async () => {
    const adapter = new UnumAdapter({ mapStart: 'sequential' });
    try {
      expect(adapter.name).toBe('unum-sequential');
      const cell = await runCell(
        adapter,
        { workload: fanout, params: { width: 8, payloadBytes: 64 }, platform: adapter.name },
        { repetitions: 2, warmup: 0, target: 'local', faults: {} },
      );
      expect(cell).toMatchObject({ status: 'ok', verified: true, platform: 'unum-sequential' });
    } finally {
      await adapter.close();
    }
  }, 120_000);
});

describe("Unum's at-least-once mode", () => {
  it('unum-at-least-once checkpoints only before fan-ins: a duplicate runs its function again, and the result still verifies', async () => {
    const adapter = new UnumAdapter({ checkpoint: false });
    try {
      expect(adapter.name).toBe('unum-at-least-once');
      const graph = {
        kind: 'sequence',
        steps: [
          { kind: 'task', fn: 'inc' },
          { kind: 'task', fn: 'double' },
          { kind: 'task', fn: 'inc' },
        ],
      } as const;
      const deployment = await adapter.deploy({ name: 'alo', graph, functionsUrl: PROBE_FUNCTIONS_URL }, { target: 'local' });
      expect(Object.values(deployment.ir.configs).every((c) => c.Checkpoint === false)).toBe(true);
      let reran = 0;
      for (let run = 0; run < 5; run++) {
        const execution = await adapter.run(deployment, 1, { cold: false, faults: { duplicate: 0.5 } });
        expect(execution.output).toBe(5);
        expect(execution.trace.invocations).toHaveLength(3); // one record per instance, whatever ran twice
        reran += execution.faults?.['duplicateRuns'] ?? 0;
      }
      expect(reran).toBeGreaterThan(0); // exactly-once would have reused a checkpoint instead
      await adapter.teardown(deployment);
    } finally {
      await adapter.close();
    }
  }, 120_000);
});

describe('Unum costs', () => {
  it('bills DynamoDB by item size: the model is within 5% of the capacity DynamoDB reports, and 64 KB values cost far more than 1 KB ones', async () => {
    const adapter = new UnumAdapter();
    try {
      const usage = async (payloadBytes: number) => {
        const deployment = await adapter.deploy(
          { name: 'chain', graph: chain.graph({ length: 10, payloadBytes }), functionsUrl: chain.functionsUrl },
          { target: 'local' },
        );
        try {
          const execution = await adapter.run(deployment, chain.input({ length: 10, payloadBytes }), { cold: false, faults: {} });
          return { usage: execution.usage!, reported: execution.reported! };
        } finally {
          await adapter.teardown(deployment);
        }
      };
      const small = await usage(1024);
      const large = await usage(65_536);
      for (const { usage: modelled, reported } of [small, large]) {
        for (const unit of ['aws.dynamodb.readRequestUnit', 'aws.dynamodb.writeRequestUnit']) {
          expect(reported[unit], unit).toBeGreaterThan(0);
          expect(
            Math.abs(modelled[unit]! - reported[unit]!) / reported[unit]!,
            `${unit}: modelled ${modelled[unit]}, reported ${reported[unit]}`,
          ).toBeLessThanOrEqual(0.05);
        }
      }
      // Every 64 KB checkpoint is 65 write units to put and as many to collect (its successor
      // removes its output once it has its own checkpoint); a 1 KB one 2 and 2.
      expect(large.usage['aws.dynamodb.writeRequestUnit']! / small.usage['aws.dynamodb.writeRequestUnit']!).toBeGreaterThanOrEqual(20);
      expect(large.usage['aws.dynamodb.writeRequestUnit']).toBeGreaterThan(2 * 9 * 64);
      // Reads: each function's check for its own checkpoint, nothing else (no collection of the trace on the way).
      expect(large.usage['aws.dynamodb.readRequestUnit']).toBe(10);
      expect(small.usage['aws.lambda.request']).toBe(10);
      expect(small.usage['aws.lambda.gbSecond']).toBeGreaterThan(0);
    } finally {
      await adapter.close();
    }
  }, 120_000);
});

describe('Unum on a long workflow', () => {
  it("runs a chain of 40, whose workflow description is over Lambda's 4 KB of environment (it travels in the package)", async () => {
    const adapter = new UnumAdapter();
    try {
      const cell = await runCell(
        adapter,
        { workload: chain, params: { length: 40, payloadBytes: 64 }, platform: 'unum' },
        { repetitions: 1, warmup: 0, target: 'local', faults: {} },
      );
      expect(cell.status === 'ok' ? 'ok' : `${cell.status}: ${cell.reason}`).toBe('ok');
      expect(cell.verified).toBe(true);
    } finally {
      await adapter.close();
    }
  }, 300_000);
});
