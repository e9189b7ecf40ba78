/**
 * The local Durable host, driven only through the real SDK's client (`df.getClient`),
 * as a function with a `durableClient` binding would: no Baton code between the test
 * and the host's HTTP API. The host runs as a child process, as a Function App would.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeValue, encodeValue } from '../../harness/model/index.ts';
import { evaluate } from '../../harness/semantics/evaluate.ts';
import { fanout } from '../../workloads/fanout/index.ts';
import { startHostProcess, type HostProcess } from './local/host-process.ts';
import { clientFor, finished, historyOf as historyAt } from './test-apps/client.ts';

const BEHAVIOUR_APP = new URL('./test-apps/behaviour-app.ts', import.meta.url).href;
const BATON_APP = new URL('./baton-app.ts', import.meta.url).href;

const historyOf = (host: HostProcess, id: string) => historyAt(host.clientData, id);

describe('local Durable host through df.getClient', () => {
  let dir: string;
  let host: HostProcess;
  let client: df.DurableClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-durable-test-'));
    host = await startHostProcess({ appUrl: BEHAVIOUR_APP, storeDir: join(dir, 'store') });
    client = clientFor(host.clientData);
  });
  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an orchestrator is replayed episode by episode to its result', async () => {
    const id = await client.startNew('HelloSequence');
    const status = await finished(client, id);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello London']);
    const history = await historyOf(host, id);
    expect(history.filter((e) => e.EventType === 'OrchestratorStarted')).toHaveLength(4); // start + one per result
    expect(history.filter((e) => e.EventType === 'TaskScheduled').map((e) => e.EventId)).toEqual([0, 1, 2]);
  });

  test("an activity that throws: TaskFailed, and the orchestrator's try/catch sees it", async () => {
    const status = await finished(client, await client.startNew('CatchBoom'));
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toMatch(/^caught: .*boom: caught/);
  });

  test("unhandled, the instance is Failed with the activity's message", async () => {
    const id = await client.startNew('Unhandled');
    const status = await finished(client, id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('boom: unhandled');
    expect((await historyOf(host, id)).map((e) => e.EventType)).toContain('TaskFailed');
  });

  test('retry options: two failures, a timer after each, then success on the third attempt', async () => {
    const id = await client.startNew('RetryFlaky', { input: { counterFile: join(dir, 'flaky'), failTimes: 2 } });
    const status = await finished(client, id);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe(3);
    const types = (await historyOf(host, id)).map((e) => e.EventType).filter((t) => /^Task|^Timer/.test(t));
    expect(types).toEqual([
      'TaskScheduled',
      'TaskFailed',
      'TimerCreated',
      'TimerFired',
      'TaskScheduled',
      'TaskFailed',
      'TimerCreated',
      'TimerFired',
      'TaskScheduled',
      'TaskCompleted',
    ]);
  });

  test('retried and plain activities in one Task.all: retries interleave with other results, sequence numbers stay in step', async () => {
    const status = await finished(client, await client.startNew('MixedRetries', { input: { dir: mkdtempSync(join(dir, 'mixed-')) } }));
    expect(status.runtimeStatus, String(status.output)).toBe('Completed');
    expect(status.output).toEqual([2, 'Hello one', 3, 'Hello two', 'Hello after']);
  });

  test('retry options exhausted: Failed after the last attempt', async () => {
    const status = await finished(client, await client.startNew('RetryFlaky', { input: { counterFile: join(dir, 'flaky-always'), failTimes: 99 } }));
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('flaky attempt 3');
  });

  test('a raised event resumes a waiting orchestrator', async () => {
    const id = await client.startNew('WaitForApproval');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await client.getStatus(id)).runtimeStatus).toBe('Running');
    await client.raiseEvent(id, 'Approval', 'ops');
    expect((await finished(client, id)).output).toBe('approved by ops');
  });

  test('terminate ends a waiting instance', async () => {
    const id = await client.startNew('WaitForApproval');
    await client.terminate(id, 'no longer needed');
    const status = await finished(client, id);
    expect(status.runtimeStatus).toBe('Terminated');
  });

  test('durable timers and sub-orchestrations', async () => {
    expect((await finished(client, await client.startNew('Timer'))).output).toBe('fired');
    const parent = await finished(client, await client.startNew('Parent'));
    expect(parent.output).toEqual({ child: ['Hello Tokyo', 'Hello Seattle', 'Hello London'] });
  });

  test('a non-deterministic orchestrator is detected and reported', async () => {
    const status = await finished(client, await client.startNew('NonDeterministic'));
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toMatch(/Non-Deterministic workflow detected: .*'Boom'.*'Hello'/);
  });

  test('purge forgets a finished instance', async () => {
    const id = await client.startNew('HelloSequence');
    await finished(client, id);
    expect((await client.purgeInstanceHistory(id)).instancesDeleted).toBe(1);
    await expect(client.getStatus(id)).rejects.toThrow(/404/);
  });

  test('an unknown orchestrator is refused', async () => {
    await expect(client.startNew('NoSuchOrchestrator')).rejects.toThrow(/400.*NoSuchOrchestrator/);
  });
});

test("a Baton workflow on the local host gives the oracle's result through df.getClient", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-durable-app-'));
  const params = { width: 6, payloadBytes: 256 };
  const graphFile = join(dir, 'graph.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(graphFile, JSON.stringify(fanout.graph(params)));
  const host = await startHostProcess({ appUrl: BATON_APP, env: { BATON_DURABLE_GRAPH: graphFile, BATON_DURABLE_FUNCTIONS: fanout.functionsUrl } });
  try {
    const client = clientFor(host.clientData);
    const input = fanout.input(params);
    const status = await finished(client, await client.startNew('BatonWorkflow', { input: encodeValue(input) }));
    expect(status.runtimeStatus).toBe('Completed');
    const { functions } = (await import(fanout.functionsUrl)) as { functions: Parameters<typeof evaluate>[2] };
    expect(decodeValue(status.output)).toEqual(await evaluate(fanout.graph(params), input, functions));
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an instance whose data outgrows the host fails with that reason, and the host goes on', async () => {
  const host = await startHostProcess({ appUrl: BEHAVIOUR_APP, maxInstanceMb: 0.001 });
  try {
    const client = clientFor(host.clientData);
    const big = await finished(client, await client.startNew('HelloSequence', { input: 'x'.repeat(2000) }));
    expect(big.runtimeStatus).toBe('Failed');
    expect(String(big.output)).toMatch(/more than one worker process can hold: .* over the local host's/);
    expect((await finished(client, await client.startNew('Timer'))).output).toBe('fired');
  } finally {
    await host.stop();
  }
});

test('an activity whose worker cannot load the app fails the instance with that reason, not a hang', async () => {
  const host = await startHostProcess({ appUrl: new URL('./test-apps/broken-worker-app.ts', import.meta.url).href });
  try {
    const client = clientFor(host.clientData);
    const status = await finished(client, await client.startNew('CallHello'));
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('cannot load the app in an activity worker');
  } finally {
    await host.stop();
  }
});

test('a host killed in the middle of a fan-out restarts and completes it, each result used once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-durable-kill-'));
  const store = join(dir, 'store');
  const logFile = join(dir, 'ran.log');
  const n = 6;
  let host = await startHostProcess({ appUrl: BEHAVIOUR_APP, storeDir: store });
  try {
    let client = clientFor(host.clientData);
    const id = await client.startNew('FanOutSleep', { input: { n, logFile } });
    // Wait until some (not all) activities have results in the history, then crash the host.
    let completedBefore: number[] = [];
    while (completedBefore.length < 2) {
      completedBefore = (await historyOf(host, id)).filter((e) => e.EventType === 'TaskCompleted').map((e) => e.TaskScheduledId!);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await host.kill();
    expect(readFileSync(logFile, 'utf8').trim().split('\n').length).toBeLessThan(n);

    host = await startHostProcess({ appUrl: BEHAVIOUR_APP, storeDir: store });
    client = clientFor(host.clientData);
    const status = await finished(client, id);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual(Array.from({ length: n }, (_, i) => `s${i}`));

    const history = await historyOf(host, id);
    const completedIds = history.filter((e) => e.EventType === 'TaskCompleted').map((e) => e.TaskScheduledId);
    expect(completedIds.toSorted()).toEqual([0, 1, 2, 3, 4, 5]); // one result per scheduled task, none twice
    expect(history.filter((e) => e.EventType === 'TaskScheduled')).toHaveLength(n);
    // Results in the history before the crash were replayed, not run again; the others ran (again) after it.
    const ran = readFileSync(logFile, 'utf8').trim().split('\n');
    for (const seq of completedBefore) expect(ran.filter((l) => l === `s${seq}`)).toHaveLength(1);
    expect(new Set(ran)).toEqual(new Set(Array.from({ length: n }, (_, i) => `s${i}`)));
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
