/**
 * The orchestrations and entities of the durable-functions SDK's own tests
 * (Azure/azure-functions-durable-js test/testobjects, with the outcomes its
 * test/integration/orchestrator-spec.ts and entity-spec.ts expect), run end to end on
 * the local host and driven through the real DurableClient. The SDK checks them against
 * hand-made histories; here the host makes the histories, so these show that it speaks
 * the protocol as the extension does: sequence numbers, retries, timers, events,
 * sub-orchestrations, entities, durable HTTP, continueAsNew, custom status.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHostProcess, type HostProcess } from './local/host-process.ts';
import { clientFor, finished, historyOf } from './test-apps/client.ts';

const APP = new URL('./test-apps/sdk-orchestrations/', import.meta.url).pathname;

let dir: string;
let host: HostProcess;
let client: df.DurableClient;
let web: Server;
let webUrl: string;
let pollCalls = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-durable-sdk-'));
  web = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/poll') {
        // The 202 pattern: accepted twice, then done (the SDK polls the same request again).
        if (pollCalls++ < 2) return response.writeHead(202, { location: `${webUrl}/poll`, 'retry-after': '0' }).end();
        return response.writeHead(200, { 'content-type': 'text/plain' }).end('done polling');
      }
      response.writeHead(200, { 'content-type': 'application/json', 'x-echo': String(request.headers['x-test'] ?? '') });
      response.end(JSON.stringify({ method: request.method, body }));
    });
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webUrl = `http://127.0.0.1:${(web.address() as { port: number }).port}`;
  host = await startHostProcess({ appUrl: APP, storeDir: join(dir, 'store') });
  client = clientFor(host.clientData);
});
afterAll(async () => {
  await host?.stop();
  await new Promise((resolve) => web?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const run = async (name: string, input?: unknown, instanceId?: string) =>
  finished(client, await client.startNew(name, { ...(input !== undefined ? { input } : {}), ...(instanceId ? { instanceId } : {}) }));
const failsWith = async (name: string, pattern: RegExp, input?: unknown) => {
  const status = await run(name, input);
  expect(status.runtimeStatus).toBe('Failed');
  expect(String(status.output)).toMatch(pattern);
};
const types = async (id: string) => (await historyOf(host.clientData, id)).map((e) => e.EventType);
const counterFile = (name: string) => join(dir, `${name}-${Math.random().toString(36).slice(2)}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function entityState<T>(id: df.EntityId, until: (state: T | undefined) => boolean): Promise<T | undefined> {
  for (let i = 0; i < 500; i++) {
    const read = await client.readEntityState<T>(id);
    if (until(read.entityExists ? read.entityState : undefined)) return read.entityState;
    await sleep(10);
  }
  throw new Error(`entity ${id.name}/${id.key} never reached the state waited for`);
}

describe('Orchestrator basics (orchestrator-spec: Orchestrator, Properties, Error Handling)', () => {
  test('allows orchestrations with no yield-statements', async () => {
    expect((await run('NotGenerator')).output).toBe('Hello');
  });
  test("doesn't allow yielding non-Task types", () => failsWith('YieldInteger', /Orchestration yielded data of type number/));
  test('handles a simple orchestration function (no activity functions)', async () => {
    expect((await run('SayHelloInline', 'World')).output).toBe('Hello, World!');
  });
  test.each([0, '', false, null])('handles falsy input %j', async (value) => {
    expect((await run('PassThrough', value)).output).toBe(value);
  });
  test('yielding the input instead of a task is refused', () => failsWith('SayHelloInlineInproperYield', /Only Task types can be yielded/, 'World'));
  test('currentUtcDateTime moves on after all retries fail', async () => {
    const status = await run('SayHelloWithActivityRetryAndReturnTimestamps', { name: 'x', counterFile: counterFile('ts'), failTimes: 9, retryIntervalMs: 50 });
    const [first, last] = status.output as string[];
    expect(Date.parse(last!)).toBeGreaterThan(Date.parse(first!));
  });
  test('uses the last OrchestratorStarted time when replays run out of them (TimestampExhaustion)', async () => {
    expect((await run('TimestampExhaustion', { delayMergeUntilSecs: 0.2 })).output).toBe('Merge successful');
  });
  test('reports an unhandled exception from orchestrator', () => failsWith('ThrowsExceptionInline', /Exception from Orchestrator/));
  test('reports an unhandled exception from activity passed through orchestrator, with its FailureDetails', async () => {
    const status = await run('ThrowsExceptionFromActivity');
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('Activity function error');
    const failed = (await historyOf(host.clientData, status.instanceId)).find((e) => e.EventType === 'TaskFailed')!;
    expect(failed.FailureDetails).toMatchObject({ ErrorType: 'Error', ErrorMessage: 'Activity function error' });
    expect(failed.FailureDetails!.StackTrace).toContain('Activity function error');
  });
  test('schedules an activity function after orchestrator catches an exception', async () => {
    expect((await run('ThrowsExceptionFromActivityWithCatch', 'World')).output).toBe('Hello, World!');
  });
});

describe('callActivity() and callActivityWithRetry()', () => {
  test('schedules an activity function and handles its result', async () => {
    const status = await run('SayHelloWithActivity', 'World');
    expect(status.output).toBe('Hello, World!');
    expect(await types(status.instanceId)).toEqual([
      'OrchestratorStarted',
      'ExecutionStarted',
      'TaskScheduled',
      'OrchestratorCompleted',
      'OrchestratorStarted',
      'TaskCompleted',
      'OrchestratorCompleted',
      'ExecutionCompleted',
    ]);
  });
  test('schedules an activity function with no input', async () => {
    expect((await run('CallActivityNoInput')).output).toBe(4);
  });
  test.each([
    [0, 'Hello, 0!'],
    ['', 'Hello, !'],
    [false, 'Hello, false!'],
    [null, 'Hello, null!'],
  ])('an activity with falsy input %j', async (value, greeting) => {
    expect((await run('SayHelloWithActivity', value)).output).toBe(greeting);
  });
  test('is yielded twice, only scheduled once', async () => {
    const status = await run('SayHelloWithActivityYieldTwice', 'World');
    expect(status.output).toBe('Hello, World!');
    expect((await types(status.instanceId)).filter((t) => t === 'TaskScheduled')).toHaveLength(1);
  });
  test('a task returned instead of yielded is never scheduled', async () => {
    const status = await run('SayHelloWithActivityDirectReturn', 'World');
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).not.toBe('Hello, World!');
    expect(await types(status.instanceId)).not.toContain('TaskScheduled');
  });
  test('handles a completed series of activity functions', async () => {
    expect((await run('SayHelloSequence')).output).toEqual(['Hello, Tokyo!', 'Hello, Seattle!', 'Hello, London!']);
  });
  test('reports an error when retryOptions is undefined', () => failsWith('SayHelloWithActivityRetryNoOptions', /retryOptions/));
  test('retries a failed activity function if < max attempts', async () => {
    const status = await run('SayHelloWithActivityRetry', { name: 'World', counterFile: counterFile('retry'), failTimes: 1, retryIntervalMs: 50 });
    expect(status.output).toBe('Hello, World!');
    expect((await types(status.instanceId)).filter((t) => /^Task|^Timer/.test(t))).toEqual([
      'TaskScheduled',
      'TaskFailed',
      'TimerCreated',
      'TimerFired',
      'TaskScheduled',
      'TaskCompleted',
    ]);
  });
  test('reports a failed activity function if >= max attempts', async () => {
    const status = await run('SayHelloWithActivityRetry', { name: 'World', counterFile: counterFile('retry'), failTimes: 5, retryIntervalMs: 50 });
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('Hello failed attempt 2');
  });
  test('retryTimeoutInMilliseconds ends the retries; as on Azure, the JS orchestrator then waits (azure-functions-durable-js#629)', async () => {
    await run('SayHelloWithActivity', 'warm'); // a thread that has loaded the app: the attempts are quick
    const id = await client.startNew('RetryWithTimeout', { input: { counterFile: counterFile('timeout'), intervalMs: 100, timeoutMs: 250 } });
    await sleep(1500);
    const history = await historyOf(host.clientData, id);
    const failures = history.filter((e) => e.EventType === 'TaskFailed').length;
    expect(failures).toBeGreaterThanOrEqual(2);
    expect(failures).toBeLessThanOrEqual(6); // far fewer than the 50 attempts allowed
    expect(history.filter((e) => e.EventType === 'TimerCreated')).toHaveLength(failures - 1); // no timer after the last
    expect((await client.getStatus(id)).runtimeStatus).toBe('Running');
    await client.terminate(id, 'test over');
  });
  test('works with fan-out/fan-in: retries of two activities interleave', async () => {
    const tokyo = { name: 'Tokyo', counterFile: counterFile('fan'), failTimes: 2 };
    const seattle = { name: 'Seattle', counterFile: counterFile('fan'), failTimes: 1 };
    expect((await run('SayHelloWithActivityRetryFanout', [tokyo, seattle])).output).toEqual(['Hello, Tokyo!', 'Hello, Seattle!']);
  });
});

describe('callSubOrchestrator() and callSubOrchestratorWithRetry()', () => {
  test('schedules a suborchestrator function with the given id and returns its result', async () => {
    const status = await run('SayHelloWithSubOrchestrator', 'World');
    expect(status.output).toBe('Hello, World!');
    const created = (await historyOf(host.clientData, status.instanceId)).find((e) => e.EventType === 'SubOrchestrationInstanceCreated')!;
    expect(created.InstanceId).toBe(`${status.instanceId}:0`);
  });
  test.each(['Kyiv', '123', 'true', '{"a":1}'])('a string input %j reaches the child as that string', async (input) => {
    const status = await run('SayHelloWithSubOrchestrator', input);
    expect(status.output).toBe(`Hello, ${input}!`);
    expect((await client.getStatus(`${status.instanceId}:0`)).input).toBe(input);
  });
  test('a parent instance id used again runs its child again', async () => {
    const id = `reused-${Date.now()}`;
    expect((await run('SayHelloWithSubOrchestrator', 'first', id)).output).toBe('Hello, first!');
    expect((await run('SayHelloWithSubOrchestrator', 'second', id)).output).toBe('Hello, second!');
  });
  test('schedules a suborchestrator function with no instanceId', async () => {
    const status = await run('SayHelloWithSubOrchestratorNoSubId', 'World');
    expect(status.output).toBe('Hello, World!');
    const created = (await historyOf(host.clientData, status.instanceId)).find((e) => e.EventType === 'SubOrchestrationInstanceCreated')!;
    expect(created.InstanceId).toMatch(new RegExp(`^${status.instanceId}:`));
  });
  test('runs multiple suborchestrator functions with no instanceId', async () => {
    expect((await run('MultipleSubOrchestratorNoSubId', 'Test')).output).toEqual([
      'Hello, Test_SayHelloWithActivity_0!',
      'Hello, Test_SayHelloInline_1!',
      'Hello, Test_SayHelloWithActivity_2!',
      'Hello, Test_SayHelloInline_3!',
    ]);
  });
  test('callSubOrchestratorWithRetry: handles a completed suborchestrator function', async () => {
    expect((await run('SayHelloWithSubOrchestratorRetry', 'World')).output).toBe('Hello, World!');
  });
  test('callSubOrchestratorWithRetry: handles fan-out/fan-in', async () => {
    expect((await run('SayHelloWithSubOrchestratorRetryFanout')).output).toEqual(['Hello, Tokyo!', 'Hello, Seattle!']);
  });
  test('callSubOrchestratorWithRetry: reports an error when retryOptions is undefined', () =>
    failsWith('SayHelloWithSubOrchestratorRetryNoOptions', /retryOptions/));
});

describe('timers, events, Task.all and Task.any', () => {
  test('proceeds after a timer fires', async () => {
    const started = Date.now();
    const status = await run('WaitOnTimer', new Date(Date.now() + 300).toISOString());
    expect(status.output).toBe('Timer fired!');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
  test('a long timer (30 days) waits in sub-timers of at most 3 days, as Azure splits it', async () => {
    const id = await client.startNew('WaitOnTimer', { input: new Date(Date.now() + 30 * 86_400_000).toISOString() });
    let timers: string[] = [];
    while (timers.length === 0) {
      timers = (await historyOf(host.clientData, id)).filter((e) => e.EventType === 'TimerCreated').map((e) => e.FireAt!);
      await sleep(10);
    }
    await sleep(200);
    expect((await client.getStatus(id)).runtimeStatus).toBe('Running'); // not fired at once
    expect(Date.parse(timers[0]!) - Date.now()).toBeLessThanOrEqual(3 * 86_400_000);
    await client.terminate(id, 'test over');
  });
  test('waits for an external event and proceeds only on the right name', async () => {
    const id = await client.startNew('WaitForExternalEvent');
    await client.raiseEvent(id, 'notStart', 'Nope');
    await sleep(100);
    expect((await client.getStatus(id)).runtimeStatus).toBe('Running');
    await client.raiseEvent(id, 'start', 'Kyiv');
    expect((await finished(client, id)).output).toBe('Hello, Kyiv!');
  });
  test('Task.any: the task that completes first wins, in order and out of order', async () => {
    expect((await run('AnyAOrB', true)).output).toBe('A');
    expect((await run('AnyAOrB', false)).output).toBe('B');
  });
  test('a task yielded in Task.any() and afterwards is scheduled only once', async () => {
    const status = await run('AnyAOrBYieldATwice', true);
    expect(status.output).toBe('A');
    expect((await types(status.instanceId)).filter((t) => t === 'TaskScheduled')).toHaveLength(2);
  });
  test('a timer in Task.any(): the activity wins against a long timer, the timer against a slow activity', async () => {
    expect((await run('TimerActivityRace', 60_000)).output).toBe('A');
    expect((await run('TimerActivityRace', 1)).output).toBe('Timer finished');
  });
  test('Task.any over a TaskSet and a timer: the TaskSet wins when both events come', async () => {
    const id = await client.startNew('AnyWithTaskSet', { input: 60_000 });
    await client.raiseEvent(id, 'firstRequiredEvent', 1);
    await client.raiseEvent(id, 'secondRequiredEvent', 2);
    expect((await finished(client, id)).output).toEqual(['Hello, Tokyo!']);
  });
  test('Task.any over a TaskSet and a timer: the timer wins when an event is missing', async () => {
    const id = await client.startNew('AnyWithTaskSet', { input: 100 });
    await client.raiseEvent(id, 'firstRequiredEvent', 1);
    expect((await finished(client, id)).output).toEqual(['timeout']);
  });
  test('Task.all fans out and in', async () => {
    const files = join(dir, 'files');
    mkdirSync(files, { recursive: true });
    writeFileSync(join(files, 'a'), 'x'.repeat(10));
    writeFileSync(join(files, 'b'), 'x'.repeat(32));
    expect((await run('FanOutFanInDiskUsage', files)).output).toBe(42);
  });
  test("doesn't allow compound tasks with no children", async () => {
    await failsWith('TaskAllWithNoChildren', /must specify at least one Task/);
    await failsWith('TaskAnyWithNoChildren', /must specify at least one Task/);
  });
});

describe('continueAsNew(), newGuid(), setCustomStatus(), versions', () => {
  test('continueAsNew restarts the instance with the new input until it returns', async () => {
    const status = await run('ContinueAsNewCounter');
    expect(status.output).toBe(5);
    expect(status.input).toEqual({ value: 4 });
    expect((await types(status.instanceId)).filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
  });
  test('newGuid gives distinct, well-formed GUIDs', async () => {
    const guids = (await run('GuidGenerator')).output as string[];
    expect(new Set(guids).size).toBe(3);
    for (const guid of guids) expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  test('sets a custom status', async () => {
    const status = await run('SayHelloWithCustomStatus');
    expect(status.output).toEqual(['Hello, Tokyo!', 'Hello, Seattle!', 'Hello, London!']);
    expect(status.customStatus).toBe('London');
  });
  test('an orchestration version given at start is the one the orchestrator sees', async () => {
    expect((await finished(client, await client.startNew('ReportVersion', { version: '2.1' }))).output).toBe('2.1');
    expect((await run('ReportVersion')).output).toBeNull();
  });
});

describe('callHttp()', () => {
  test('a simple HTTP GET', async () => {
    const status = await run('SendHttpRequest', { method: 'GET', uri: `${webUrl}/get`, asynchronousPatternEnabled: false });
    const response = status.output as { statusCode: number; content: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.content)).toEqual({ method: 'GET', body: '' });
  });
  test('an HTTP POST with headers and a body', async () => {
    const status = await run('SendHttpRequest', {
      method: 'POST',
      uri: `${webUrl}/post`,
      content: 'payload',
      headers: { 'x-test': 'yes' },
      asynchronousPatternEnabled: false,
    });
    const response = status.output as { statusCode: number; content: string; headers: Record<string, string> };
    expect(JSON.parse(response.content)).toEqual({ method: 'POST', body: 'payload' });
    expect(response.headers['x-echo']).toBe('yes');
  });
  test('the 202 polling pattern: polled until a non-202 answer, with a timer between', async () => {
    pollCalls = 0;
    const status = await run('SendHttpRequest', { method: 'GET', uri: `${webUrl}/poll` });
    expect((status.output as { statusCode: number; content: string }).content).toBe('done polling');
    expect(pollCalls).toBe(3);
    expect((await types(status.instanceId)).filter((t) => t === 'TimerFired')).toHaveLength(2);
  });
  test('a target off this machine fails the call with the reason', async () => {
    const status = await run('SendHttpRequest', { method: 'GET', uri: 'https://example.com/', asynchronousPatternEnabled: false });
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('only to loopback addresses');
  });
});

describe('entities (entity-spec) and entity calls from orchestrations', () => {
  const key = () => `k${Math.random().toString(36).slice(2)}`;
  test('callEntity: StringStore set from an orchestration, read through the client', async () => {
    const id = new df.EntityId('StringStore', key());
    expect((await run('CallEntitySet', { name: id.name, key: id.key })).output).toBe('OK');
    expect((await client.readEntityState<string>(id)).entityState).toBe('testString');
  });
  test('callEntity returns the operation result; a failing operation throws in the orchestrator', async () => {
    const k = key();
    await run('CallEntityOp', { name: 'AsyncStringStore', key: k, op: 'set', input: 'hello' });
    expect((await run('CallEntityOp', { name: 'AsyncStringStore', key: k, op: 'get' })).output).toEqual({ result: 'hello' });
    expect((await run('CallEntityOp', { name: 'StringStore', key: k, op: 'nosuch' })).output).toHaveProperty('error');
  });
  test('Counter: signals from the client, in order; delete removes the entity', async () => {
    const id = new df.EntityId('Counter', key());
    await client.signalEntity(id, 'set', 10);
    await client.signalEntity(id, 'add', 5);
    await client.signalEntity(id, 'increment');
    expect(await entityState<number>(id, (s) => s === 16)).toBe(16);
    expect((await run('CallEntityOp', { name: 'Counter', key: id.key, op: 'get' })).output).toEqual({ result: 16 });
    await client.signalEntity(id, 'delete');
    await entityState(id, (s) => s === undefined);
    expect((await client.readEntityState(id)).entityExists).toBe(false);
  });
  test('signalEntity from an orchestration is fire-and-forget', async () => {
    const k = key();
    const status = await run('signalEntity', { id: k, entityName: 'Counter', operationName: 'add', operationArgument: 3 });
    expect(status.runtimeStatus).toBe('Completed');
    expect(await entityState<number>(new df.EntityId('Counter', k), (s) => s === 3)).toBe(3);
  });
  test("doesn't allow signalEntity() to be yielded", () =>
    failsWith('signalEntityYield', /fire-and-forget API/, { id: key(), entityName: 'Counter', operationName: 'add', operationArgument: 1 }));
  test('isLocked() with no locks', async () => {
    expect((await run('CheckForLocksNone')).output).toEqual({ isLocked: false, ownedLocks: [] });
  });
  test('lock() takes EntityId objects: an input read back from JSON is refused, as on Azure', () =>
    failsWith('GetAndReleaseLock', /lock expected EntityId\[\]/, [{ name: 'Counter', key: 'a' }]));
  test('lock() with something that is not an EntityId is refused (GetLockBadly)', () =>
    failsWith('GetLockBadly', /lock expected EntityId\[\]/, ['not-an-entity']));
  test('lock() with no entity is refused', () => failsWith('GetLockBadly', /lock requires at least one EntityId/, []));
  test('a critical section: two entities locked, called and released; concurrent transfers keep the total', async () => {
    const [a, b] = [key(), key()];
    await client.signalEntity(new df.EntityId('Counter', a), 'set', 100);
    await client.signalEntity(new df.EntityId('Counter', b), 'set', 100);
    await entityState<number>(new df.EntityId('Counter', b), (s) => s === 100);
    const ids = await Promise.all([
      ...Array.from({ length: 4 }, () => client.startNew('TransferInLock', { input: { from: a, to: b, amount: 10 } })),
      ...Array.from({ length: 4 }, () => client.startNew('TransferInLock', { input: { from: b, to: a, amount: 5 } })),
    ]);
    const statuses = await Promise.all(ids.map((id) => finished(client, id)));
    for (const status of statuses) expect(status.output).toEqual({ locked: true, owned: 2, after: false });
    const finalA = (await client.readEntityState<number>(new df.EntityId('Counter', a))).entityState!;
    const finalB = (await client.readEntityState<number>(new df.EntityId('Counter', b))).entityState!;
    expect([finalA, finalB]).toEqual([80, 120]);
  });
});

describe('management: suspend, resume, rewind, list and purge', () => {
  test('a suspended instance takes no events until resumed', async () => {
    const id = await client.startNew('WaitForExternalEvent');
    await finished(client, id, 20_000, ['Running']);
    await client.suspend(id, 'hold on');
    expect((await client.getStatus(id)).runtimeStatus).toBe('Suspended');
    await client.raiseEvent(id, 'start', 'Odesa');
    await sleep(150);
    expect((await client.getStatus(id)).runtimeStatus).toBe('Suspended');
    await client.resume(id, 'go');
    expect((await finished(client, id)).output).toBe('Hello, Odesa!');
    expect(await types(id)).toEqual(expect.arrayContaining(['ExecutionSuspended', 'ExecutionResumed']));
  });
  test('rewind runs the failed attempt again, and the instance completes', async () => {
    const input = { name: 'again', counterFile: counterFile('rewind'), failTimes: 2, retryIntervalMs: 20 };
    const failed = await run('SayHelloWithActivityRetry', input);
    expect(failed.runtimeStatus).toBe('Failed');
    await client.rewind(failed.instanceId, 'try once more');
    expect((await finished(client, failed.instanceId)).output).toBe('Hello, again!');
  });
  test('rewind refuses an instance that has not failed', async () => {
    const done = await run('SayHelloInline', 'x');
    await expect(client.rewind(done.instanceId, 'no')).rejects.toThrow(/only .*failed/);
  });
  test('list by runtimeStatus, creation time and id prefix; pages with continuation tokens', async () => {
    const prefix = `list-${Date.now()}-`;
    const from = new Date(Date.now() - 1000);
    for (let i = 0; i < 5; i++) await run('SayHelloInline', i, `${prefix}${i}`);
    const waiting = await client.startNew('WaitForExternalEvent', { instanceId: `${prefix}w` });
    const to = new Date(Date.now() + 1000);
    const completed = await client.getStatusBy({ createdTimeFrom: from, createdTimeTo: to, runtimeStatus: [df.OrchestrationRuntimeStatus.Completed] });
    expect(completed.filter((s) => s.instanceId.startsWith(prefix)).map((s) => s.instanceId)).toHaveLength(5);
    const running = await client.getStatusBy({ runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending] });
    expect(running.map((s) => s.instanceId)).toContain(waiting);
    expect(await client.getStatusBy({ createdTimeFrom: new Date(Date.now() + 60_000) })).toEqual([]);
    // The HTTP API: a prefix, and pages of two joined by x-ms-continuation-token.
    const ids: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const response = await fetch(`${host.clientData.rpcBaseUrl}instances/?instanceIdPrefix=${prefix}&top=2`, {
        headers: token ? { 'x-ms-continuation-token': token } : {},
      });
      ids.push(...((await response.json()) as { instanceId: string }[]).map((s) => s.instanceId));
      token = response.headers.get('x-ms-continuation-token') ?? '';
      pages++;
    } while (token);
    expect(ids.toSorted()).toEqual([...Array.from({ length: 5 }, (_, i) => `${prefix}${i}`), `${prefix}w`].toSorted());
    expect(pages).toBe(3);
    await client.terminate(waiting, 'done');
    await finished(client, waiting);
    const purged = await client.purgeInstanceHistoryBy({
      createdTimeFrom: from,
      createdTimeTo: new Date(Date.now() + 1000),
      runtimeStatus: [df.OrchestrationRuntimeStatus.Terminated],
    });
    expect(purged.instancesDeleted).toBeGreaterThanOrEqual(1);
    await expect(client.getStatus(waiting)).rejects.toThrow(/404/);
  });
  test('raiseEvent with a body that is not JSON is refused with 400', async () => {
    const id = await client.startNew('WaitForExternalEvent');
    const response = await fetch(`${host.clientData.rpcBaseUrl}instances/${id}/raiseEvent/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'not json',
    });
    expect(response.status).toBe(400);
    await client.terminate(id, 'done');
  });
});
