import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../adapter-kit/memory-storage.ts';
import { checkStorageSpec, meteredStorage, newStorageIo, StorageKeyMissing } from './storage.ts';

describe('storage for functions', () => {
  const backend = () => memoryStorage({ objects: { 'in/a': new Uint8Array([1, 2, 3]) }, tables: ['t'] });

  it('meters every call: counts, bytes and time', async () => {
    const io = newStorageIo();
    const { storage, nosql } = meteredStorage(backend().objects, backend().items, io);
    expect([...(await storage.get('in/a'))]).toEqual([1, 2, 3]);
    await storage.put('out/b', new Uint8Array(10));
    await nosql.put('t', { partition: 'p', sort: 's2' }, { n: 1 });
    await nosql.put('t', { partition: 'p', sort: 's1' }, { n: 2, ok: true, name: 'x' });
    expect(await nosql.query('t', 'p')).toEqual([
      { sort: 's1', item: { n: 2, ok: true, name: 'x' } },
      { sort: 's2', item: { n: 1 } },
    ]);
    expect(io).toMatchObject({ objectGets: 1, getBytes: 3, objectPuts: 1, putBytes: 10, itemPuts: 2, itemQueries: 1, itemsRead: 2 });
    expect(io.us).toBeGreaterThan(0);
  });

  it('refuses what some backend could not hold, naming the rule', async () => {
    const { storage, nosql } = meteredStorage(backend().objects, backend().items, newStorageIo());
    await expect(storage.put('a//b', new Uint8Array())).rejects.toThrow(/object key 'a\/\/b'/);
    await expect(storage.put('/lead', new Uint8Array())).rejects.toThrow(/object key/);
    await expect(storage.put('a/../b', new Uint8Array())).rejects.toThrow(/none ending in a dot/);
    await expect(storage.put('a/b.', new Uint8Array())).rejects.toThrow(/object key/);
    await expect(storage.put(`${'x'.repeat(201)}/b`, new Uint8Array())).rejects.toThrow(/parts of at most 200/);
    await storage.put('a/.hidden/b.txt', new Uint8Array());
    await expect(nosql.put('t', { partition: '..', sort: 's' }, {})).rejects.toThrow(/partition key '\.\.'/);
    await expect(nosql.put('t', { partition: 'a/b', sort: 's' }, {})).rejects.toThrow(/partition key 'a\/b'/);
    await expect(nosql.put('t', { partition: 'p', sort: 's' }, { '1bad': 1 })).rejects.toThrow(/attribute name '1bad'/);
    await expect(nosql.put('t', { partition: 'p', sort: 's' }, { a: 'x'.repeat(30_000), b: 'x'.repeat(30_000), c: 'x'.repeat(6000) })).rejects.toThrow(
      /at most 65536/,
    );
    await expect(nosql.put('t', { partition: 'p', sort: 's' }, { big: 'x'.repeat(40_000) })).rejects.toThrow(/UTF-16 units; at most 32768/);
    await expect(nosql.put('t', { partition: 'p', sort: 's' }, { n: Number.NaN })).rejects.toThrow(/finite number/);
  });

  it('says which key is missing, and copies bodies in and out', async () => {
    const { objects } = backend();
    await expect(objects.get('nope')).rejects.toBeInstanceOf(StorageKeyMissing);
    const body = new Uint8Array([5]);
    await objects.put('k', body);
    body[0] = 6;
    const read = await objects.get('k');
    read[0] = 7;
    expect([...(await objects.get('k'))]).toEqual([5]);
    expect(await objects.list('i')).toEqual(['in/a']);
  });

  it('checks a workload storage spec before deploy, exit code 2', () => {
    expect(() => checkStorageSpec({ objects: { 'bad key': new Uint8Array() }, tables: [] }, 'workload w')).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringContaining("workload w: storage: object key 'bad key'") }),
    );
  });
});

describe('storage time', () => {
  it('counts overlapping calls once: the busy time, never more than the wall time', async () => {
    const io = newStorageIo();
    const slow = memoryStorage({ objects: {}, tables: [] }).objects;
    const delayed = { ...slow, put: async (key: string, body: Uint8Array) => new Promise<void>((r) => setTimeout(() => r(slow.put(key, body)), 20)) };
    const { storage } = meteredStorage(delayed, memoryStorage({ objects: {}, tables: [] }).items, io);
    const startNs = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 8 }, (_, i) => storage.put(`k${i}`, new Uint8Array(1))));
    const wallUs = Number(process.hrtime.bigint() - startNs) / 1000;
    expect(io.objectPuts).toBe(8);
    expect(io.us).toBeGreaterThanOrEqual(15_000);
    expect(io.us).toBeLessThanOrEqual(wallUs);
  });
});
