/**
 * The local Durable host's store against what breaks stores: payloads that are not JSON
 * or hold newlines, a torn last append (power loss), a damaged record, and a host killed
 * (SIGKILL) at random points of a 64-way fan-out with sub-orchestrations, twenty times.
 * Real files, a real host process, the real SDK client.
 */
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntityId } from 'durable-functions';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EventType, event } from './local/history.ts';
import { startHostProcess } from './local/host-process.ts';
import { InstanceStore, frame, unframe } from './local/store.ts';
import { clientFor, finished } from './test-apps/client.ts';

const APP = new URL('./test-apps/sdk-orchestrations/', import.meta.url).pathname;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-durable-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const created = (id: string) => ({ created: { id, name: 'X', input: '"a\\nb"', createdTime: new Date().toISOString() } });

describe('InstanceStore', () => {
  test('any payload text round-trips: not JSON, newlines, quotes, control characters', () => {
    for (const text of ['Kyiv', 'line\nbreak', '"quoted"', '\u0000\u001f', '{not json', '']) {
      const record = { message: event(EventType.EventRaised, { Name: 'e', Input: text }) };
      const line = frame(record);
      expect(line.indexOf('\n')).toBe(line.length - 1);
      expect(unframe(line.slice(0, -1))).toEqual(JSON.parse(JSON.stringify(record)));
    }
  });

  test('a torn last record is dropped and cut off, so the next append starts clean', () => {
    const store = new InstanceStore(dir);
    store.append('a', created('a'));
    store.append('a', { message: event(EventType.EventRaised, { Name: 'one', Input: '1' }) });
    const [file] = readdirSync(dir);
    const whole = statSync(join(dir, file!)).size;
    store.append('a', { message: event(EventType.EventRaised, { Name: 'two', Input: '2' }) });
    truncateSync(join(dir, file!), statSync(join(dir, file!)).size - 7); // power lost mid-append
    const first = store.load();
    expect(first.damaged).toEqual([]);
    expect(first.instances[0]!.messages.map((m) => m.Name)).toEqual(['one']);
    expect(statSync(join(dir, file!)).size).toBe(whole);
    store.append('a', { message: event(EventType.EventRaised, { Name: 'three', Input: '3' }) });
    expect(store.load().instances[0]!.messages.map((m) => m.Name)).toEqual(['one', 'three']);
  });

  test('a damaged record before the end sets that one instance aside and keeps the others', () => {
    const store = new InstanceStore(dir);
    for (const id of ['good', 'bad']) {
      store.append(id, created(id));
      store.append(id, { message: event(EventType.EventRaised, { Name: 'm', Input: '1' }) });
    }
    const bad = join(dir, 'bad.log');
    const text = readFileSync(bad, 'utf8');
    writeFileSync(bad, text.replace('"name":"X"', '"name":"Y"')); // a flipped byte: the checksum no longer holds
    const { instances, damaged } = store.load();
    expect(instances.map((i) => i.created.id)).toEqual(['good']);
    expect(damaged).toHaveLength(1);
    expect(damaged[0]!.reason).toMatch(/bad\.log: record 1 is damaged/);
    expect(readFileSync(bad, 'utf8')).not.toBe(''); // left for inspection
  });
});

test('string sub-orchestration inputs, a refused raiseEvent and entity state leave a store the host restarts on; a torn tail and a damaged log do not stop it', async () => {
  const store = join(dir, 'store');
  let host = await startHostProcess({ appUrl: APP, storeDir: store });
  let client = clientFor(host.clientData);
  const child = await finished(client, await client.startNew('SayHelloWithSubOrchestrator', { input: 'Kyiv' }));
  const waiting = await client.startNew('WaitForExternalEvent', { instanceId: 'waiting' });
  const refused = await fetch(`${host.clientData.rpcBaseUrl}instances/${waiting}/raiseEvent/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: 'Kyiv',
  });
  expect(refused.status).toBe(400);
  const victim = await finished(client, await client.startNew('SayHelloInline', { instanceId: 'victim', input: 'v' }));
  const counter = new EntityId('Counter', 'kept');
  await client.signalEntity(counter, 'add', 7);
  while (!(await client.readEntityState(counter)).entityExists) await new Promise((resolve) => setTimeout(resolve, 10));
  await host.kill();

  appendFileSync(join(store, 'waiting.log'), '0badc0de {"message":{"EventType":15,"Na'); // a torn append
  const victimLog = join(store, 'victim.log');
  writeFileSync(victimLog, readFileSync(victimLog, 'utf8').replace('"Name":"SayHelloInline"', '"Name":"SayHelloInlinf"'));

  host = await startHostProcess({ appUrl: APP, storeDir: store });
  client = clientFor(host.clientData);
  try {
    expect((await client.getStatus(child.instanceId)).output).toBe('Hello, Kyiv!');
    expect((await client.readEntityState<number>(counter)).entityState).toBe(7);
    expect((await finished(client, await client.startNew('CallEntityOp', { input: { name: 'Counter', key: 'kept', op: 'get' } }))).output).toEqual({
      result: 7,
    });
    await client.raiseEvent(waiting, 'start', 'Lviv');
    expect((await finished(client, waiting)).output).toBe('Hello, Lviv!');
    await expect(client.getStatus(victim.instanceId)).rejects.toThrow(/404/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(host.stderr()).toMatch(/left out .*victim\.log: .*record 2 is damaged/);
  } finally {
    await host.stop();
  }
});

test('SIGKILL at random points of a 64-way fan-out with sub-orchestrations, 20 times: the store reads every time, every instance ends right', async () => {
  const store = join(dir, 'store');
  const kills = 20;
  const width = 64;
  const ids: string[] = [];
  const expected = Array.from({ length: width }, (_, i) => `Hello, n${i}!`);
  for (let round = 0; round < kills; round++) {
    const host = await startHostProcess({ appUrl: APP, storeDir: store });
    const client = clientFor(host.clientData);
    ids.push(await client.startNew('FanOutSubs', { input: { width }, instanceId: `fan-${round}` }));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 600));
    await host.kill();
    const { damaged } = new InstanceStore(store).load();
    expect(damaged, `after kill ${round + 1}`).toEqual([]);
  }
  const host = await startHostProcess({ appUrl: APP, storeDir: store });
  try {
    const client = clientFor(host.clientData);
    for (const id of ids) {
      const status = await finished(client, id, 120_000);
      expect(status.runtimeStatus, `${id}: ${String(status.output)}`).toBe('Completed');
      expect(status.output).toEqual(expected);
    }
  } finally {
    await host.stop();
  }
}, 300_000);
