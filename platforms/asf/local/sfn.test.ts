/** The local Step Functions + Lambda driven by the plain AWS SDK clients only. */
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  InvalidDefinition,
  InvalidName,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalLambda, type LocalLambda } from '../../aws-local/lambda/server.ts';
import { waitUntilActive } from '../../aws-local/function-state.ts';
import { startLocalStepFunctions, type LocalStepFunctions } from './sfn-server.ts';

const ROLE = 'arn:aws:iam::000000000000:role/local';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const CODE = `
let calls = 0;
export const handler = async (event) => {
  if (event.op === 'flaky' && calls++ === 0) { const e = new Error('first call fails'); e.name = 'Flaky'; throw e; }
  if (event.op === 'boom') { const e = new Error('always fails'); e.name = 'Boom'; throw e; }
  return (event.n ?? 0) + 1;
};`;

let lambda: LocalLambda;
let sfnLocal: LocalStepFunctions;
let sfn: SFNClient;

beforeAll(async () => {
  lambda = await startLocalLambda();
  sfnLocal = await startLocalStepFunctions({ lambdaUrl: lambda.url, credentials: lambda.credentials });
  const lambdaClient = new LambdaClient({ endpoint: lambda.url, region: 'us-east-1', credentials: lambda.credentials });
  await lambdaClient.send(
    new CreateFunctionCommand({
      FunctionName: 'inc',
      Runtime: 'nodejs22.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipSync({ 'index.mjs': strToU8(CODE) }) },
    }),
  );
  await waitUntilActive(lambdaClient, ['inc'], 50); // a new function is Pending for a moment, as on AWS
  lambdaClient.destroy();
  sfn = new SFNClient({ endpoint: sfnLocal.url, region: 'us-east-1', credentials: lambda.credentials, disableHostPrefix: true });
});
afterAll(async () => {
  sfn.destroy();
  await sfnLocal.close();
  await lambda.close();
});

const create = async (name: string, definition: object, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') =>
  (await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE, type }))).stateMachineArn!;

const finish = async (executionArn: string) => {
  let described: DescribeExecutionCommandOutput | undefined;
  await vi.waitFor(
    async () => {
      described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(described.status).not.toBe('RUNNING');
    },
    { timeout: 10_000, interval: 20 },
  );
  return described!;
};

describe('local Step Functions', () => {
  it("runs a state machine whose Tasks call Lambda over HTTP, with the service's history events", async () => {
    const arn = await create('two-steps', {
      StartAt: 'First',
      States: {
        First: { Type: 'Task', Resource: fnArn('inc'), Parameters: { 'n.$': '$.n' }, ResultPath: '$.n', Next: 'Both' },
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Task', Resource: fnArn('inc'), End: true } } },
            {
              StartAt: 'B',
              States: {
                B: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Parameters: { FunctionName: 'inc', 'Payload.$': '$' },
                  OutputPath: '$.Payload',
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ n: 1 }) }));
    const done = await finish(executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([3, 3]);
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = events!.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    for (const type of [
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ParallelStateEntered',
      'TaskScheduled',
      'TaskSucceeded',
    ]) {
      expect(types).toContain(type);
    }
    expect(types.indexOf('TaskStateEntered')).toBeLessThan(types.indexOf('LambdaFunctionScheduled'));
    expect(types.indexOf('LambdaFunctionSucceeded')).toBeLessThan(types.indexOf('TaskStateExited'));
    expect(events!.find((e) => e.type === 'LambdaFunctionSucceeded')!.lambdaFunctionSucceededEventDetails!.output).toBe('2');
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    expect(listed.executions!.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it("applies Retry as written, and fails with the function's error name when unhandled", async () => {
    const retry = await create('retry', {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: fnArn('inc'), Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 1, IntervalSeconds: 1 }], End: true } },
    });
    const ok = await finish((await sfn.send(new StartExecutionCommand({ stateMachineArn: retry, input: '{"op":"flaky","n":4}' }))).executionArn!);
    expect([ok.status, ok.output]).toEqual(['SUCCEEDED', '5']);
    const failing = await create('boom', { StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('inc'), End: true } } });
    const failed = await finish((await sfn.send(new StartExecutionCommand({ stateMachineArn: failing, input: '{"op":"boom"}' }))).executionArn!);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('Boom');
  });

  it('runs Express machines synchronously', async () => {
    const arn = await create('express', { StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('inc'), End: true } } }, 'EXPRESS');
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"n":9}' }));
    expect([result.status, result.output]).toEqual(['SUCCEEDED', '10']);
    expect(result.billingDetails!.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
  });

  it("rejects an invalid definition with the validator's messages, and unknown machines", async () => {
    const error = await create('bad', { StartAt: 'Missing', States: { T: { Type: 'Pass', End: true } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect((error as Error).message).toMatch(/Missing/);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:nope' }))).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
  });

  it('refuses names Step Functions refuses (InvalidName), for machines and executions', async () => {
    const definition = { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };
    await expect(create('../../etc', definition)).rejects.toBeInstanceOf(InvalidName);
    await expect(create('has space', definition)).rejects.toBeInstanceOf(InvalidName);
    await expect(create('x'.repeat(81), definition)).rejects.toBeInstanceOf(InvalidName);
    const arn = await create('fine-name_1.v2', definition);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'a/b' }))).rejects.toBeInstanceOf(InvalidName);
  });
});
