/**
 * Unum with dataPassing=s3: checkpoints in DynamoDB hold pointers, the data is in S3, so
 * values over DynamoDB's 400 KB item and Lambda's 1 MB async payload run; nothing is left
 * in the bucket after a run. Redis and nested are refused with the reason.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { initHistograms } from '../../harness/metrics/histogram.ts';
import { runCell } from '../../harness/runner/run-cell.ts';
import { reasonOf } from '../../harness/results/schema.ts';
import { chain } from '../../workloads/chain/index.ts';
import { fanout } from '../../workloads/fanout/index.ts';
import { UnumAdapter, type UnumDeployment } from './adapter.ts';

beforeAll(() => initHistograms());

const options = { repetitions: 2, warmup: 1, target: 'local' as const, faults: {} };

describe('unum data passing', () => {
  it('s3: a 16 MiB chain and a fan-in of 8 outputs of 512 KiB run verified, with their S3 requests billed', async () => {
    const adapter = new UnumAdapter();
    try {
      const big = { length: 3, payloadBytes: 16 * 2 ** 20 };
      const inline = await runCell(adapter, { workload: chain, params: big, platform: 'unum' }, options);
      expect(inline.status).toBe('unsupported');
      expect(reasonOf(inline)).toMatch(/dataPassing=s3/);
      const cell = await runCell(adapter, { workload: chain, params: big, platform: 'unum', settings: { dataPassing: 's3' } }, options);
      expect(cell.status === 'ok' ? 'ok' : reasonOf(cell)).toBe('ok');
      // Per run: the input (client) and the 3 outputs are PUT once each, and read once each.
      expect(cell.cost!.breakdown['aws.s3.putRequest']).toBeCloseTo(4 * 5, 6);
      expect(cell.cost!.breakdown['aws.s3.getRequest']).toBeCloseTo(4 * 0.4, 6);
      expect(cell.cost!.breakdown['aws.s3.gbMonth']).toBeGreaterThan(0);
      const fanned = await runCell(
        adapter,
        { workload: fanout, params: { width: 8, payloadBytes: 512 * 1024 }, platform: 'unum', settings: { dataPassing: 's3' } },
        options,
      );
      expect(fanned.status === 'ok' ? 'ok' : reasonOf(fanned)).toBe('ok');
    } finally {
      await adapter.close();
    }
  }, 240_000);

  it('s3: the bucket is empty after a run and gone after teardown; redis and nested are unsupported, with why', async () => {
    const adapter = new UnumAdapter();
    try {
      const params = { length: 2, payloadBytes: 300_000 };
      const workflow = { name: 'chain', graph: chain.graph(params), functionsUrl: chain.functionsUrl };
      const deployment = (await adapter.deploy(workflow, { target: 'local', settings: { dataPassing: 's3' } })) as UnumDeployment;
      const input = chain.input(params);
      const execution = await adapter.run(deployment, input, { cold: false, faults: {} });
      expect((await chain.verify(execution.output, input, params)).ok).toBe(true);
      const s3 = (await (adapter as unknown as { aws(t: string): Promise<{ s3: import('@aws-sdk/client-s3').S3Client }> }).aws('local')).s3;
      const bucket = deployment.data!.bucket;
      expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
      await adapter.teardown(deployment);
      await expect(s3.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
      const redis = await runCell(adapter, { workload: chain, params, platform: 'unum', settings: { dataPassing: 'redis' } }, options);
      expect(reasonOf(redis)).toMatch(/^dataPassing=redis: Unum lists Redis/);
      const nested = await runCell(adapter, { workload: chain, params, platform: 'unum', settings: { dataPassing: 'nested' } }, options);
      expect(reasonOf(nested)).toMatch(/^dataPassing=nested: Unum functions already invoke/);
    } finally {
      await adapter.close();
    }
  }, 120_000);
});
