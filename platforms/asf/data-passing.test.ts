/**
 * The ways data travels on Step Functions + Lambda (`--param dataPassing`), through the
 * real adapter, stand-ins and handler: payloads Step Functions refuses inline run through
 * S3 or Redis with their requests counted and billed, nothing is left in the store, and a
 * nested chain runs with no state machine, within Lambda's 6 MB.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { initHistograms } from '../../harness/metrics/histogram.ts';
import { runCell } from '../../harness/runner/run-cell.ts';
import { reasonOf } from '../../harness/results/schema.ts';
import { requireTool } from '../../harness/testing/requires.ts';
import { chain } from '../../workloads/chain/index.ts';
import { fanout } from '../../workloads/fanout/index.ts';
import { mapreduce } from '../../workloads/mapreduce/index.ts';
import { REDIS_MISSING, redisServerPath } from '../aws-local/redis.ts';
import { AsfAdapter, type AsfDeployment } from './adapter.ts';

beforeAll(() => initHistograms());

const options = { repetitions: 2, warmup: 1, target: 'local' as const, faults: {} };
const outcome = (cell: Awaited<ReturnType<typeof runCell>>) => (cell.status === 'ok' ? 'ok' : reasonOf(cell));

describe('asf data passing', () => {
  it('s3: a 16 MiB chain that Step Functions refuses inline runs verified, its S3 requests billed, its objects removed', async () => {
    const adapter = new AsfAdapter();
    try {
      const big = { length: 3, payloadBytes: 16 * 2 ** 20 };
      const inline = await runCell(adapter, { workload: chain, params: big, platform: 'asf' }, options);
      expect(inline.status).toBe('unsupported');
      expect(reasonOf(inline)).toMatch(/256 KiB execution input limit.*dataPassing=s3/);
      const cell = await runCell(adapter, { workload: chain, params: big, platform: 'asf', settings: { dataPassing: 's3' } }, options);
      expect(outcome(cell)).toBe('ok');
      expect(cell.params).toEqual({ ...big, dataPassing: 's3' });
      // Per run: the input (client) and each of 3 outputs are PUT once, and each read once.
      expect(cell.cost!.breakdown['aws.s3.putRequest']).toBeCloseTo(4 * 5, 6);
      expect(cell.cost!.breakdown['aws.s3.getRequest']).toBeCloseTo(4 * 0.4, 6);
      expect(cell.cost!.breakdown['aws.s3.gbMonth']).toBeGreaterThan(0);
      expect(cell.summary.storeWriteUs!.count).toBe(2 * 4);
      expect(cell.summary.storeReadUs!.count).toBe(2 * 4);
    } finally {
      await adapter.close();
    }
  }, 180_000);

  it('s3: small values stay in the state unless offloadBytes=0 sends them all', async () => {
    const adapter = new AsfAdapter();
    try {
      const small = { length: 2, payloadBytes: 1024 };
      const kept = await runCell(adapter, { workload: chain, params: small, platform: 'asf', settings: { dataPassing: 's3' } }, options);
      expect(outcome(kept)).toBe('ok');
      expect(kept.cost!.breakdown['aws.s3.putRequest']).toBe(0);
      const sent = await runCell(adapter, { workload: chain, params: small, platform: 'asf', settings: { dataPassing: 's3', offloadBytes: 0 } }, options);
      expect(outcome(sent)).toBe('ok');
      expect(sent.cost!.breakdown['aws.s3.putRequest']).toBeCloseTo(3 * 5, 6);
      // A fan-in of 64 outputs holds only their pointers.
      const wide = await runCell(
        adapter,
        { workload: fanout, params: { width: 64, payloadBytes: 8192 }, platform: 'asf', settings: { dataPassing: 's3', offloadBytes: 0 } },
        options,
      );
      expect(outcome(wide)).toBe('ok');
    } finally {
      await adapter.close();
    }
  }, 180_000);

  it("s3: the bucket is empty after each run (a shuffle's grouping step's objects too) and gone after teardown", async () => {
    const adapter = new AsfAdapter();
    try {
      const s3 = (await (adapter as unknown as { aws(t: string): Promise<{ s3: import('@aws-sdk/client-s3').S3Client }> }).aws('local')).s3;
      for (const [workload, params] of [
        [chain, { length: 2, payloadBytes: 300_000 }],
        [mapreduce, { mappers: 8, reducers: 4, megabytes: 4 }],
      ] as const) {
        const workflow = { name: workload.name, graph: workload.graph(params), functionsUrl: workload.functionsUrl };
        const deployment = (await adapter.deploy(workflow, { target: 'local', settings: { dataPassing: 's3', offloadBytes: 0 } })) as AsfDeployment;
        const input = workload.input(params);
        const execution = await adapter.run(deployment, input, { cold: false, faults: {} });
        expect((await workload.verify(execution.output, input, params)).ok, workload.name).toBe(true);
        const bucket = deployment.store!.address.bucket!;
        expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount, workload.name).toBe(0);
        await adapter.teardown(deployment);
        await expect(s3.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
      }
    } finally {
      await adapter.close();
    }
  }, 180_000);

  it("redis: every value through the run's redis-server, a key in the state, the node's time billed", async (context) => {
    if (!requireTool(context, redisServerPath() !== undefined, REDIS_MISSING)) return;
    const adapter = new AsfAdapter();
    try {
      const cell = await runCell(
        adapter,
        { workload: chain, params: { length: 3, payloadBytes: 4 * 2 ** 20 }, platform: 'asf', settings: { dataPassing: 'redis' } },
        options,
      );
      expect(outcome(cell)).toBe('ok');
      expect(cell.cost!.breakdown['aws.elasticache.nodeSecond']).toBeGreaterThan(0);
      expect(cell.summary.storeWriteUs!.count).toBe(2 * 4);
    } finally {
      await adapter.close();
    }
  }, 120_000);

  it('nested: a chain with no state machine, one request per function; other shapes and over 6 MB unsupported', async () => {
    const adapter = new AsfAdapter();
    try {
      const cell = await runCell(
        adapter,
        { workload: chain, params: { length: 4, payloadBytes: 1024 }, platform: 'asf', settings: { dataPassing: 'nested' } },
        options,
      );
      expect(outcome(cell)).toBe('ok');
      expect(cell.summary.transitionUs!.count).toBe(2 * 3);
      expect(cell.cost!.breakdown['aws.sfn.standard.transition']).toBeUndefined();
      expect(cell.cost!.breakdown['aws.lambda.request']).toBeCloseTo(4 * 0.2, 6);
      const fanned = await runCell(
        adapter,
        { workload: fanout, params: { width: 2, payloadBytes: 10 }, platform: 'asf', settings: { dataPassing: 'nested' } },
        options,
      );
      expect(reasonOf(fanned)).toMatch(/dataPassing=nested: .*chain of functions/);
      const big = await runCell(
        adapter,
        { workload: chain, params: { length: 2, payloadBytes: 5 * 2 ** 20 }, platform: 'asf', settings: { dataPassing: 'nested' } },
        options,
      );
      expect(big.status).toBe('unsupported');
      expect(reasonOf(big)).toMatch(/6 MB/);
    } finally {
      await adapter.close();
    }
  }, 120_000);
});
