/** The local Lambda driven by the plain AWS SDK client, with no Baton code in between. */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ResourceConflictException,
  InvalidParameterValueException,
  RequestTooLargeException,
  ResourceNotFoundException,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalLambda, type LocalLambda } from './server.ts';
import { waitUntilActive } from '../function-state.ts';

const CODE = `
let cold = true;
export const handler = async (event, context) => {
  const wasCold = cold;
  cold = false;
  if (event.fail) { const e = new Error('asked to fail'); e.name = 'AskedToFail'; throw e; }
  if (event.record) globalThis.recorded = (globalThis.recorded ?? 0) + 1;
  return { doubled: event.n * 2, wasCold, name: context.functionName, env: process.env.GREETING };
};`;

let lambda: LocalLambda;
let client: LambdaClient;
beforeAll(async () => {
  lambda = await startLocalLambda();
  client = new LambdaClient({ endpoint: lambda.url, region: 'us-east-1', credentials: lambda.credentials });
  await client.send(
    new CreateFunctionCommand({
      FunctionName: 'double',
      Runtime: 'nodejs22.x',
      Role: 'arn:aws:iam::000000000000:role/local',
      Handler: 'index.handler',
      Code: { ZipFile: zipSync({ 'index.mjs': strToU8(CODE) }) },
      Environment: { Variables: { GREETING: 'hi' } },
    }),
  );
  await waitUntilActive(client, ['double'], 50);
});
afterAll(async () => {
  client.destroy();
  await lambda.close();
});

const invoke = async (payload: unknown, type?: 'Event') => {
  const out = await client.send(new InvokeCommand({ FunctionName: 'double', Payload: JSON.stringify(payload), ...(type ? { InvocationType: type } : {}) }));
  return { ...out, json: out.Payload && out.Payload.length > 0 ? JSON.parse(Buffer.from(out.Payload).toString()) : undefined };
};

describe('local Lambda', () => {
  it('listens on loopback only', () => {
    expect(lambda.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('invokes a function from its zip: cold first, then warm', async () => {
    const first = await invoke({ n: 21 });
    expect(first.StatusCode).toBe(200);
    expect(first.json).toEqual({ doubled: 42, wasCold: true, name: 'double', env: 'hi' });
    expect((await invoke({ n: 1 })).json).toMatchObject({ wasCold: false });
    expect(lambda.functions.coldStarts).toBe(1);
  });

  it('returns function errors as the service does', async () => {
    const failed = await invoke({ fail: true });
    expect(failed.StatusCode).toBe(200);
    expect(failed.FunctionError).toBe('Unhandled');
    expect(failed.json).toMatchObject({ errorType: 'AskedToFail', errorMessage: 'asked to fail' });
  });

  it('a function over its configured memory fails as Lambda reports it, and the next invocation gets a new sandbox', async () => {
    const hog =
      'export const handler = async (event) => { if (!event.hog) return "fine"; const keep = []; for (;;) keep.push({ a: [1, 2, 3], s: "x".repeat(64) + keep.length }); };';
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'hog',
        Runtime: 'nodejs22.x',
        Role: 'arn:aws:iam::000000000000:role/local',
        Handler: 'index.handler',
        MemorySize: 128,
        Code: { ZipFile: zipSync({ 'index.mjs': strToU8(hog) }) },
      }),
    );
    await waitUntilActive(client, ['hog'], 50);
    const call = async (payload: unknown) => {
      const out = await client.send(new InvokeCommand({ FunctionName: 'hog', Payload: JSON.stringify(payload) }));
      return { error: out.FunctionError, json: JSON.parse(Buffer.from(out.Payload!).toString()) as unknown };
    };
    expect(await call({ hog: true })).toMatchObject({
      error: 'Unhandled',
      json: { errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/signal: killed \(over the function's 128 MB\)/) },
    });
    expect(await call({})).toEqual({ error: undefined, json: 'fine' });
  });

  it("gives each function its memory's share of a CPU to emulate, through the variable Baton's function wrapper reads", async () => {
    const share = 'export const handler = async () => process.env.BATON_LOCAL_CPU_SHARE;';
    for (const [name, memory] of [
      ['small', 256],
      ['big', 3008],
    ] as const) {
      await client.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs22.x',
          Role: 'arn:aws:iam::000000000000:role/local',
          Handler: 'index.handler',
          MemorySize: memory,
          Code: { ZipFile: zipSync({ 'index.mjs': strToU8(share) }) },
        }),
      );
    }
    await waitUntilActive(client, ['small', 'big'], 50);
    const shareOf = async (name: string) =>
      JSON.parse(Buffer.from((await client.send(new InvokeCommand({ FunctionName: name }))).Payload!).toString()) as string;
    expect(Number(await shareOf('small'))).toBeCloseTo(256 / 1769, 6);
    expect(await shareOf('big')).toBe('1'); // one thread cannot use more than a vCPU
  });

  it('accepts Event invocations at once and runs them', async () => {
    const event = await invoke({ n: 1, record: true }, 'Event');
    expect(event.StatusCode).toBe(202);
    await vi.waitFor(() => expect(lambda.functions.coldStarts).toBeGreaterThanOrEqual(1));
  });

  it('starts cold again after a configuration change', async () => {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'double', Environment: { Variables: { GREETING: 'again' } } }));
    expect((await invoke({ n: 2 })).json).toMatchObject({ wasCold: true, env: 'again' });
  });

  it('answers ResourceNotFoundException for a deleted function', async () => {
    await client.send(new DeleteFunctionCommand({ FunctionName: 'double' }));
    await expect(invoke({ n: 1 })).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
  it('keeps a new function Pending for a moment, refusing invokes as Lambda does, then Active', async () => {
    const created = await client.send(
      new CreateFunctionCommand({
        FunctionName: 'fresh',
        Runtime: 'nodejs22.x',
        Role: 'arn:aws:iam::000000000000:role/local',
        Handler: 'index.handler',
        Code: { ZipFile: zipSync({ 'index.mjs': strToU8(CODE) }) },
      }),
    );
    expect(created.State).toBe('Pending');
    await expect(client.send(new InvokeCommand({ FunctionName: 'fresh', Payload: '{"n":1}' }))).rejects.toBeInstanceOf(ResourceConflictException);
    await waitUntilActive(client, ['fresh'], 50);
    expect(JSON.parse(Buffer.from((await client.send(new InvokeCommand({ FunctionName: 'fresh', Payload: '{"n":1}' }))).Payload!).toString())).toMatchObject({
      doubled: 2,
    });
  });

  it("refuses more than Lambda's 4 KB of environment variables, at create and at update", async () => {
    const big = { Variables: { CONFIG: 'x'.repeat(4100) } };
    const create = client.send(
      new CreateFunctionCommand({
        FunctionName: 'too-much-env',
        Runtime: 'nodejs22.x',
        Role: 'arn:aws:iam::000000000000:role/local',
        Handler: 'index.handler',
        Code: { ZipFile: zipSync({ 'index.mjs': strToU8(CODE) }) },
        Environment: big,
      }),
    );
    await expect(create).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(create).rejects.toThrow(/exceeded the 4KB limit/);
    // 'fresh' is the function the test before this one made and saw become Active.
    await expect(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fresh', Environment: big }))).rejects.toBeInstanceOf(
      InvalidParameterValueException,
    );
  });

  it('takes Event payloads up to 1 MB (the limit since October 2025), not more', async () => {
    const event = (sizeBytes: number) =>
      client.send(new InvokeCommand({ FunctionName: 'fresh', InvocationType: 'Event', Payload: JSON.stringify({ n: 1, pad: 'x'.repeat(sizeBytes) }) }));
    expect((await event(900 * 1024)).StatusCode).toBe(202);
    await expect(event(1024 * 1024)).rejects.toBeInstanceOf(RequestTooLargeException);
  });
});
