/**
 * The durable-functions SDK's own samples (Azure/azure-functions-durable-js,
 * samples-ts/functions), as an app folder with its package.json `main` glob, run by the
 * local host as a user runs it: started through the app's own HTTP starters under
 * /api/ or through the real DurableClient, with the outputs the samples are written to
 * give. One sample cannot run here and its test says why: listAzureSubscriptions calls
 * Azure's management API with a managed identity.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHostProcess, type HostProcess } from './local/host-process.ts';
import { clientFor, finished, historyOf } from './test-apps/client.ts';

const SAMPLES_APP = new URL('./test-apps/sdk-samples/', import.meta.url).pathname;

describe('the SDK samples on the local host', () => {
  let dir: string;
  let host: HostProcess;
  let client: df.DurableClient;
  let weather: Server;
  const forecasts = ['light rain', 'overcast clouds', 'clear sky'];
  let weatherCalls = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-durable-samples-'));
    weather = createServer((_request, response) => {
      const description = forecasts[Math.min(weatherCalls++, forecasts.length - 1)];
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ weather: [{ description }] }));
    });
    await new Promise<void>((resolve) => weather.listen(0, '127.0.0.1', resolve));
    const address = weather.address() as { port: number };
    host = await startHostProcess({
      appUrl: SAMPLES_APP,
      storeDir: join(dir, 'store'),
      env: {
        COUNTER_INTERVAL_SECONDS: '0.02',
        RETRY_INTERVAL_SECONDS: '0.05',
        SMS_TIMEOUT_SECONDS: '2',
        WEATHER_INTERVAL_SECONDS: '0.02',
        WEATHER_API_URL: `http://127.0.0.1:${address.port}/data/2.5/weather`,
      },
    });
    client = clientFor(host.clientData);
  });
  afterAll(async () => {
    await host?.stop();
    await new Promise((resolve) => weather?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** POST to one of the app's HTTP functions, with the host key as the Functions host wants a function key. */
  const api = (path: string, body: unknown) =>
    fetch(`${host.url}/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': host.key },
      body: JSON.stringify(body),
    });

  test('httpStart answers 202 with the management links, and helloSequence gives its three greetings', async () => {
    const response = await api('orchestrators/helloSequence', null);
    expect(response.status).toBe(202);
    const links = (await response.json()) as { id: string; statusQueryGetUri: string; sendEventPostUri: string };
    expect(response.headers.get('location')).toBe(links.statusQueryGetUri);
    expect(links.statusQueryGetUri).toContain(links.id);
    const status = await finished(client, links.id);
    expect(status.output).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello Cairo']);
  });

  test('httpSyncStart waits for the result and answers it', async () => {
    const response = await api('orchestrators/wait/sayHelloWithActivity?timeout=10', 'Kyiv');
    expect(response.status).toBe(200);
    expect(await response.json()).toBe('Hello Kyiv');
  });

  test('an HTTP function without the key is refused', async () => {
    const response = await fetch(`${host.url}/api/orchestrators/helloSequence`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'null',
    });
    expect(response.status).toBe(401);
  });

  test('sayHelloWithCustomStatus: the custom status is the greeting', async () => {
    const status = await finished(client, await client.startNew('sayHelloWithCustomStatus', { input: 'Lviv' }));
    expect(status.output).toBe('Hello Lviv');
    expect(status.customStatus).toBe('Hello Lviv');
  });

  test('sayHelloWithSubOrchestrator: the child gets the input wrapped in an object, as the sample passes it', async () => {
    const status = await finished(client, await client.startNew('sayHelloWithSubOrchestrator', { input: 'Kyiv' }));
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe('Hello [object Object]');
  });

  test('backupSiteContent: fans out over the files and sums their sizes', async () => {
    const site = join(dir, 'site');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(site, 'css'), { recursive: true });
    writeFileSync(join(site, 'index.html'), 'x'.repeat(120));
    writeFileSync(join(site, 'css', 'main.css'), 'y'.repeat(30));
    writeFileSync(join(site, 'robots.txt'), 'z'.repeat(7));
    const status = await finished(client, await client.startNew('backupSiteContent', { input: site }));
    expect(status.output).toBe(157);
    const history = await historyOf(host.clientData, status.instanceId);
    expect(history.filter((e) => e.EventType === 'TaskScheduled' && e.Name === 'copyFileToBlob')).toHaveLength(3);
  });

  test("backupSiteContent without a directory fails with the sample's message", async () => {
    const status = await finished(client, await client.startNew('backupSiteContent'));
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('A directory path is required as an input.');
  });

  test('callActivityWithRetry: two attempts with a timer between, then the orchestrator catches the failure', async () => {
    const status = await finished(client, await client.startNew('callActivityWithRetry'));
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBeNull();
    const history = await historyOf(host.clientData, status.instanceId);
    expect(history.filter((e) => e.EventType === 'TaskFailed')).toHaveLength(2);
    const failure = history.find((e) => e.EventType === 'TaskFailed')!;
    expect(failure.FailureDetails).toMatchObject({ ErrorType: 'Error', ErrorMessage: 'FlakyFunction flaked' });
  });

  test('callSubOrchestratorWithRetry: two failed children, then the orchestrator catches the failure', async () => {
    const status = await finished(client, await client.startNew('callSubOrchestratorWithRetry'));
    expect(status.runtimeStatus).toBe('Completed');
    const history = await historyOf(host.clientData, status.instanceId);
    const children = history.filter((e) => e.EventType === 'SubOrchestrationInstanceCreated');
    expect(children).toHaveLength(2);
    expect(new Set(children.map((c) => c.InstanceId)).size).toBe(2); // a default id per attempt
    expect(history.filter((e) => e.EventType === 'SubOrchestrationInstanceFailed')).toHaveLength(2);
  });

  test('cancelTimer: the activity wins and the two-minute timer, never yielded, is never waited for', async () => {
    // `finished` gives up long before two minutes: an instance that waited for the timer would fail here.
    const status = await finished(client, await client.startNew('cancelTimer'));
    expect(status.output).toBe('Hello from the other side');
    const types = (await historyOf(host.clientData, status.instanceId)).map((e) => e.EventType);
    expect(types).not.toContain('TimerCreated'); // the SDK schedules a timer only when it is yielded
    expect(types).not.toContain('TimerFired');
  });

  test('continueAsNewCounter: ten executions of one instance, the last one returns 10 and the history is its own', async () => {
    const status = await finished(client, await client.startNew('continueAsNewCounter'));
    expect(status.output).toBe(10);
    expect(status.input).toBe(9);
    const history = await historyOf(host.clientData, status.instanceId);
    expect(history.filter((e) => e.EventType === 'ExecutionStarted')).toHaveLength(1);
    expect(history.filter((e) => e.EventType === 'TimerCreated')).toHaveLength(1);
  });

  test('counter: the orchestration calls the entity, and its state is read and signalled through the client', async () => {
    const { EntityId } = await import('durable-functions');
    const id = new EntityId('counterEntity', `c${Date.now()}`);
    await client.signalEntity(id, 'add', 5);
    for (let i = 0; i < 200 && !(await client.readEntityState(id)).entityExists; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await client.readEntityState<number>(id)).entityState).toBe(5);
    // The sample's orchestration counts on its fixed entity 'myCounter'.
    const mine = new EntityId('counterEntity', 'myCounter');
    for (let run = 1; run <= 3; run++) {
      const status = await finished(client, await client.startNew('counterOrchestration'));
      expect(status.runtimeStatus).toBe('Completed');
      expect((await client.readEntityState<number>(mine)).entityState).toBe(run);
    }
    expect((await client.readEntityState(new EntityId('counterEntity', 'never-used'))).entityExists).toBe(false);
  });

  test('smsPhoneVerification: the right code raised before the timeout authorizes', async () => {
    const id = await client.startNew('smsPhoneVerification', { input: '+380000000000' });
    let code: unknown;
    while (code === undefined) {
      code = (await historyOf(host.clientData, id)).find((e) => e.EventType === 'TaskCompleted')?.Result;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await client.raiseEvent(id, 'SmsChallengeResponse', -1);
    await client.raiseEvent(id, 'SmsChallengeResponse', code);
    expect((await finished(client, id)).output).toBe(true);
  });

  test('smsPhoneVerification: no answer, and the timeout denies', async () => {
    const status = await finished(client, await client.startNew('smsPhoneVerification', { input: '+380000000001' }));
    expect(status.output).toBe(false);
  });

  test('weatherMonitor: checks the weather on a timer until it is clear, then alerts', async () => {
    const status = await finished(client, await client.startNew('weatherMonitor', { input: { location: { city: 'Odesa', country: 'UA' }, phone: '+1' } }));
    expect(status.runtimeStatus, String(status.output)).toBe('Completed');
    const history = await historyOf(host.clientData, status.instanceId);
    expect(history.filter((e) => e.EventType === 'TaskScheduled' && e.Name === 'getIsClear')).toHaveLength(3);
    expect(history.filter((e) => e.EventType === 'TaskScheduled' && e.Name === 'sendGoodWeatherAlert')).toHaveLength(1);
  });

  test('listAzureSubscriptions: unsupported here (a managed identity needs Azure AD); the instance fails saying so', async () => {
    const status = await finished(client, await client.startNew('listAzureSubscriptions'));
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toMatch(/only to loopback addresses|managed-identity tokenSource/);
  });
});
