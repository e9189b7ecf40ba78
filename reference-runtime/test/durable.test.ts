/** The app's durable store: what functions keep beyond a session, shared by every node of a cluster. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster, FileStore, RuntimeNode } from '../src/index.ts';
import { JOIN, app } from './helpers.ts';

const dirs: string[] = [];
let runtime: { close(): Promise<void> } | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function freshStore(tables: string[] = ['numbers']): Promise<FileStore> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-durable-test-'));
  dirs.push(dir);
  const store = new FileStore(join(dir, 'store'));
  await store.create(tables);
  return store;
}

const rememberAll = (durableDir: string) => ({
  ...app('remember-all', [
    { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: 'item', join: 'join' } },
    { primitive: 'immediate', bucket: 'item', action: { kind: 'call', fn: 'remember', to: [JOIN] } },
    { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'call', fn: 'recall', to: ['out'] } },
  ]),
  durableDir,
});

describe('the file store', () => {
  it('keeps an object and the folder of a longer key apart, and lists by prefix in byte order', async () => {
    const store = await freshStore();
    await store.put('a', new Uint8Array([1]));
    await store.put('a/b', new Uint8Array([2]));
    await store.put('a-c', new Uint8Array([3]));
    await store.put('b/x/y', new Uint8Array([4]));
    expect([...(await store.get('a'))]).toEqual([1]);
    expect([...(await store.get('a/b'))]).toEqual([2]);
    expect(await store.list('a')).toEqual(['a', 'a-c', 'a/b']);
    expect(await store.list('b/x/')).toEqual(['b/x/y']);
    expect(await store.list('')).toEqual(['a', 'a-c', 'a/b', 'b/x/y']);
    await expect(store.get('nope')).rejects.toMatchObject({ name: 'StorageKeyMissing', message: "storage: no object has the key 'nope'" });
  });

  it('replaces a body whole, leaves nothing half-written behind, and names a table that does not exist', async () => {
    const store = await freshStore();
    await store.put('k', new Uint8Array(100_000).fill(1));
    await store.put('k', new Uint8Array([9]));
    expect([...(await store.get('k'))]).toEqual([9]);
    expect(readdirSync(join(store.dir, 'tmp'))).toEqual([]);
    await store.putItem('numbers', 'p', 's2', { n: 2 });
    await store.putItem('numbers', 'p', 's1', { n: 1, ok: true });
    expect(await store.query('numbers', 'p')).toEqual([
      { sort: 's1', item: { n: 1, ok: true } },
      { sort: 's2', item: { n: 2 } },
    ]);
    expect(await store.query('numbers', 'empty')).toEqual([]);
    await expect(store.putItem('other', 'p', 's', {})).rejects.toThrow(/no table 'other'/);
    await store.remove();
    expect(existsSync(store.dir)).toBe(false);
  });
});

describe("functions' ctx.storage and ctx.nosql", () => {
  it('lets a join read what a fan-out wrote, and records every call in its invocation', async () => {
    const store = await freshStore();
    const node = await RuntimeNode.start({ executors: 2 });
    runtime = node;
    node.register(rememberAll(store.dir));
    const result = await node.invoke('remember-all', [3, 1, 2]);
    expect(result.output).toEqual({ keys: ['made/001', 'made/002', 'made/003'], bodies: ['value 1', 'value 2', 'value 3'], squares: [1, 4, 9] });
    const remembers = result.invocations.filter((i) => i.fn === 'remember');
    for (const inv of remembers) expect(inv.storage).toMatchObject({ objectPuts: 1, putBytes: 7, itemPuts: 1, objectGets: 0 });
    const recall = result.invocations.find((i) => i.fn === 'recall')!;
    expect(recall.storage).toMatchObject({ objectLists: 1, objectGets: 3, getBytes: 21, itemQueries: 1, itemsRead: 3 });
    expect(recall.storage!.us).toBeGreaterThan(0);
  });

  it('fails a call that breaks a storage rule, naming it, and writes nothing outside the store', async () => {
    const store = await freshStore();
    const node = await RuntimeNode.start({ executors: 1 });
    runtime = node;
    node.register({ ...app('escape', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'escape', to: ['out'] } }]), durableDir: store.dir });
    await expect(node.invoke('escape', null)).rejects.toThrow(/object key '\.\.\/outside' must be/);
    expect(existsSync(join(store.dir, '..', 'outside@'))).toBe(false);
  });

  it('gives functions no storage in an app without a store', async () => {
    const node = await RuntimeNode.start({ executors: 1 });
    runtime = node;
    node.register(app('escape', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'escape', to: ['out'] } }]));
    await expect(node.invoke('escape', null)).rejects.toThrow(/this app has no durable store/);
  });

  it('is one store for every node of a cluster', async () => {
    const store = await freshStore();
    const cluster = await Cluster.start({ nodes: 2, executorsPerNode: 1, placement: 'spread' });
    runtime = cluster;
    await cluster.register(rememberAll(store.dir));
    const result = await cluster.invoke('remember-all', [1, 2, 3, 4]);
    expect(result.output).toMatchObject({ keys: ['made/001', 'made/002', 'made/003', 'made/004'], squares: [1, 4, 9, 16] });
    const nodes = new Set(result.invocations.filter((i) => i.fn === 'remember').map((i) => i.worker.split('/')[0]));
    expect(nodes.size).toBe(2);
  });
});

describe('a CPU share', () => {
  it("stretches each call's compute to the app's share of a CPU", async () => {
    const node = await RuntimeNode.start({ executors: 1 });
    runtime = node;
    node.register({ ...app('slow', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'spin', to: ['out'] } }]), cpuShare: 0.25 });
    const result = await node.invoke('slow', 20);
    const [call] = result.invocations;
    // 20 ms of compute at a quarter of a CPU: at least 80 ms (a loaded machine only adds).
    expect(Number(call!.endNs - call!.startNs) / 1e6).toBeGreaterThanOrEqual(80);
  });
});
