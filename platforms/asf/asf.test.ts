import { beforeAll, describe, expect, it } from 'vitest';
import { initHistograms } from '../../harness/metrics/histogram.ts';
import { runCell } from '../../harness/runner/run-cell.ts';
import { chain } from '../../workloads/chain/index.ts';
import { fanout } from '../../workloads/fanout/index.ts';
import { AsfAdapter } from './index.ts';
import { clientConfig } from './clients.ts';
import { compileAsl } from './compile.ts';
import { aslProblems } from '../../harness/adapter-kit/asl-validate.ts';
import { PROBES } from '../../harness/conformance/probes.ts';
import { NODE_KINDS } from '../../harness/model/index.ts';
import { reasonOf } from '../../harness/results/schema.ts';

beforeAll(() => initHistograms());

describe('asf adapter', () => {
  it('reports transitions and cost for chain and fanout', async () => {
    const adapter = new AsfAdapter();
    try {
      const options = { repetitions: 3, warmup: 1, target: 'local' as const, faults: {} };
      const chained = await runCell(adapter, { workload: chain, params: { length: 3, payloadBytes: 1024 }, platform: 'asf' }, options);
      expect(chained).toMatchObject({ status: 'ok', verified: true });
      expect(chained.summary.transitionUs!.count).toBe(6); // 2 per run
      // 3 Task states entered per execution: 3 transitions at $25 per million, plus Lambda.
      expect(chained.cost!.breakdown['aws.sfn.standard.transition']).toBeCloseTo(75, 6);
      expect(chained.cost!.breakdown['aws.lambda.request']).toBeCloseTo(0.6, 6);
      expect(chained.cost!.breakdown['aws.lambda.gbSecond']).toBeGreaterThan(0);
      const fanned = await runCell(adapter, { workload: fanout, params: { width: 4, payloadBytes: 1024 }, platform: 'asf' }, options);
      expect(fanned).toMatchObject({ status: 'ok', verified: true });
      expect(fanned.cost!.usdPerMillion).toBeGreaterThan(chained.cost!.usdPerMillion);
    } finally {
      await adapter.close();
    }
  });

  it('gets through a throttled Lambda (--inject throttle=0.1) with the retrier every compiled task carries, and counts the throttles', async () => {
    const adapter = new AsfAdapter();
    try {
      const cell = await runCell(
        adapter,
        { workload: fanout, params: { width: 32, payloadBytes: 64 }, platform: 'asf' },
        { repetitions: 3, warmup: 0, target: 'local', faults: { throttle: 0.1 } },
      );
      expect(cell.status === 'ok' ? 'ok' : reasonOf(cell)).toBe('ok');
      expect(cell.verified).toBe(true);
      // About 100 invokes at 10%: the chance that none was throttled is 0.9^100, under 0.003%.
      expect(cell.faults!['throttled']).toBeGreaterThan(0);
    } finally {
      await adapter.close();
    }
  }, 120_000);

  it('forces a cold start on every invocation with cold=1, as a configuration change does on AWS', async () => {
    const adapter = new AsfAdapter();
    try {
      const cell = await runCell(
        adapter,
        { workload: chain, params: { length: 2, payloadBytes: 10, cold: 1 }, platform: 'asf' },
        { repetitions: 2, warmup: 0, target: 'local', faults: {} },
      );
      // Both links run the one Lambda function 'step': its first invocation in each run is cold, the second reuses it.
      expect(cell).toMatchObject({ status: 'ok', coldStarts: 2 });
      const warm = await runCell(
        adapter,
        { workload: chain, params: { length: 2, payloadBytes: 10 }, platform: 'asf' },
        { repetitions: 2, warmup: 1, target: 'local', faults: {} },
      );
      expect(warm.coldStarts).toBe(0);
    } finally {
      await adapter.close();
    }
  });

  it('marks data over the 256 KiB limits unsupported, with the reason: input at StartExecution, state data at run time', async () => {
    const adapter = new AsfAdapter();
    try {
      const options = { repetitions: 1, warmup: 0, target: 'local', faults: {} } as const;
      const bigInput = await runCell(adapter, { workload: chain, params: { length: 2, payloadBytes: 300_000 }, platform: 'asf' }, options);
      expect(bigInput.status).toBe('unsupported');
      expect(reasonOf(bigInput)).toMatch(/over the 256 KiB execution input limit of Step Functions \(refused at StartExecution\)/);
      // A small input whose fan-out outgrows the state limit inside the execution.
      const bigState = await runCell(adapter, { workload: fanout, params: { width: 4, payloadBytes: 100_000 }, platform: 'asf' }, options);
      expect(bigState.status).toBe('unsupported');
      expect(reasonOf(bigState)).toMatch(/256 KB payload limit of Step Functions \(States\.DataLimitExceeded\)/);
    } finally {
      await adapter.close();
    }
  });

  it('differs between targets only in endpoints and credentials', () => {
    const local = clientConfig('local', { lambda: 'http://127.0.0.1:1', sfn: 'http://127.0.0.1:2' });
    const cloud = clientConfig('cloud', {});
    expect(Object.keys(local).sort()).toEqual(Object.keys(cloud).sort());
    const differing = Object.keys(local).filter((key) => JSON.stringify(local[key as keyof typeof local]) !== JSON.stringify(cloud[key as keyof typeof cloud]));
    expect(differing.every((key) => ['region', 'credentials', 'lambdaEndpoint', 'sfnEndpoint'].includes(key))).toBe(true);
    expect(cloud.lambdaEndpoint).toBeUndefined();
    expect(cloud.credentials).toBeUndefined(); // the standard credential chain
  });

  it('compiles every supported node kind to a definition asl-validator accepts', () => {
    for (const kind of NODE_KINDS.filter((k) => k !== 'window' && k !== 'foreign')) {
      const definition = compileAsl(PROBES[kind].graph, (fn) => `arn:aws:lambda:us-east-1:000000000000:function:${fn.replace('$', '_')}`);
      expect(aslProblems(definition), kind).toEqual([]);
    }
  });
});

describe('the stand-ins through the plain SDK clients', () => {
  it('give the same answer as the adapter for the same state machine and functions', async () => {
    const { LambdaClient, CreateFunctionCommand } = await import('@aws-sdk/client-lambda');
    const { SFNClient, CreateStateMachineCommand, StartSyncExecutionCommand } = await import('@aws-sdk/client-sfn');
    const { serveAsf } = await import('./serve.ts');
    const { buildPackage } = await import('../aws-local/package.ts');
    const { encodeValue, decodeValue } = await import('../../harness/model/index.ts');
    const { unwrap } = await import('./handler.ts');
    const { waitUntilActive } = await import('../aws-local/function-state.ts');
    const params = { width: 5, payloadBytes: 100 };
    const input = fanout.input(params);

    const adapter = new AsfAdapter();
    const deployment = await adapter.deploy({ name: 'fanout', graph: fanout.graph(params), functionsUrl: fanout.functionsUrl }, { target: 'local' });
    const viaAdapter = await adapter.run(deployment, input, { cold: false, faults: {} });
    await adapter.close();

    // Baton prepares the artifacts; everything after is the plain SDK against `baton serve asf`.
    const served = await serveAsf();
    try {
      const { credentials } = served; // as `baton serve asf` prints them
      const lambda = new LambdaClient({ endpoint: served.endpoints['lambda'], region: 'us-east-1', credentials });
      const sfn = new SFNClient({ endpoint: served.endpoints['stepfunctions'], region: 'us-east-1', credentials, disableHostPrefix: true });
      const zip = await buildPackage(fanout.functionsUrl, new URL('./handler.ts', import.meta.url).href);
      const arns = new Map<string, string>();
      for (const fn of ['scatter', 'work', 'gather']) {
        const created = await lambda.send(
          new CreateFunctionCommand({
            FunctionName: fn,
            Runtime: 'nodejs22.x',
            Role: 'arn:aws:iam::000000000000:role/r',
            Handler: 'index.handler',
            Code: { ZipFile: zip },
            Environment: { Variables: { BATON_FUNCTION: fn } },
          }),
        );
        arns.set(fn, created.FunctionArn!);
      }
      await waitUntilActive(lambda, [...arns.keys()], 50); // as `aws lambda wait function-active-v2` would
      const definition = compileAsl(fanout.graph(params), (fn) => arns.get(fn)!);
      const machine = await sfn.send(
        new CreateStateMachineCommand({ name: 'fanout', definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/r', type: 'EXPRESS' }),
      );
      const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: JSON.stringify(encodeValue(input)) }));
      expect(result.status).toBe('SUCCEEDED');
      const viaSdk = decodeValue(unwrap(JSON.parse(result.output!)).value);
      expect(viaSdk).toEqual(viaAdapter.output);
      expect(await fanout.verify(viaSdk, input, params)).toEqual({ ok: true });
      lambda.destroy();
      sfn.destroy();
    } finally {
      await served.close();
    }
  });
});
