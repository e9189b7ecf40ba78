/** The local Step Functions + Lambda driven by the plain AWS SDK clients only. */
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionAlreadyExists,
  InvalidExecutionInput,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  StateMachineAlreadyExists,
  StopExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
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

  it('refuses a second machine or execution under a name in use, as the service does', async () => {
    const definition = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };
    const arn = await create('named-once', definition);
    expect(await create('named-once', definition)).toBe(arn); // the same request again is answered with the same machine
    await expect(create('named-once', { StartAt: 'Other', States: { Other: { Type: 'Succeed' } } })).rejects.toBeInstanceOf(StateMachineAlreadyExists);
    await finish((await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1' }))).executionArn!);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{not json' }))).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  it('stops an execution: it ends ABORTED with the given error and an ExecutionAborted event', async () => {
    const arn = await create('long-wait', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'not needed' }));
    const stopped = await finish(executionArn!);
    expect([stopped.status, stopped.error, stopped.cause]).toEqual(['ABORTED', 'Operator', 'not needed']);
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
  });

  it("times an execution out at the definition's TimeoutSeconds: TIMED_OUT, States.Timeout", async () => {
    const arn = await create('timed', { TimeoutSeconds: 1, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } });
    const done = await finish((await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }))).executionArn!);
    expect([done.status, done.error]).toEqual(['TIMED_OUT', 'States.Timeout']);
  });

  it('pages histories and lists with maxResults and nextToken', async () => {
    const arn = await create('paged', {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await finish(executionArn!);
    const types: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, nextToken }));
      expect(page.events!.length).toBeLessThanOrEqual(3);
      types.push(...page.events!.map((e) => e.type!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(types).toEqual(['ExecutionStarted', ...['A', 'B', 'C'].flatMap(() => ['PassStateEntered', 'PassStateExited']), 'ExecutionSucceeded']);
    const first = await sfn.send(new ListStateMachinesCommand({ maxResults: 1 }));
    expect(first.stateMachines).toHaveLength(1);
    expect(first.nextToken).toBeDefined();
  });

  it('keeps tags, updates definitions without touching running executions, and validates definitions', async () => {
    const arn = await create('tagged', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } });
    await sfn.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: [
          { key: 'team', value: 'baton' },
          { key: 'tmp', value: 'x' },
        ],
      }),
    );
    await sfn.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['tmp'] }));
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: 'team', value: 'baton' }]);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const updated = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify(updated) }));
    const forExecution = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(JSON.parse(forExecution.definition!)).toMatchObject({ StartAt: 'W' });
    await sfn.send(new StopExecutionCommand({ executionArn }));
    const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(updated) }));
    expect(ok.result).toBe('OK');
    const bad = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: '{"StartAt":"Nowhere","States":{"A":{"Type":"Succeed"}}}' }));
    expect(bad.result).toBe('FAIL');
    expect(bad.diagnostics![0]!.message).toMatch(/Nowhere/);
  });

  it('refuses at CreateStateMachine what it cannot run faithfully, saying why', async () => {
    const error = await create('sqs', {
      StartAt: 'Send',
      States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect((error as Error).message).toMatch(/sqs:sendMessage.*runs Lambda tasks only/);
    const jsonPathInJsonata = await create('mixed', {
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { a: 1 }, End: true } },
    }).catch((e: unknown) => e);
    expect((jsonPathInJsonata as Error).message).toMatch(/'Parameters' is not supported in JSONata/);
    const crossAccount = await create('assume', {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: fnArn('inc'), Credentials: { RoleArn: 'arn:aws:iam::111111111111:role/other' }, End: true } },
    }).catch((e: unknown) => e);
    expect((crossAccount as Error).message).toMatch(/Credentials: the local stand-in has no IAM/);
  });
});
