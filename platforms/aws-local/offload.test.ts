/** Large leaves to the store and back, against the local S3: structure stays in the state. */
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeValue } from '../../harness/model/index.ts';
import { isRef, keysOf, newStoreIo, offload, resolveRefs } from './offload.ts';
import { startLocalS3, type LocalS3 } from './s3.ts';
import { s3Store, type ValueStore } from './value-store.ts';

let local: LocalS3;
let store: ValueStore;
beforeAll(async () => {
  local = await startLocalS3();
  const s3 = new S3Client({ region: 'us-east-1', endpoint: local.url, forcePathStyle: true, credentials: local.credentials });
  await s3.send(new CreateBucketCommand({ Bucket: 'baton-offload' }));
  store = s3Store(s3, 'baton-offload');
});
afterAll(async () => {
  await store.close();
  await local.close();
});

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('offload', () => {
  it('moves the largest data leaves until the rest fits, keeps arrays, numbers and short strings, and brings it all back', async () => {
    const value = { label: 'short', count: 3, items: [bytes(300_000, 1), bytes(100, 2)], text: 'x'.repeat(200_000), blob: bytes(50_000, 3) };
    const json = encodeValue(value);
    const original = structuredClone(json);
    const io = newStoreIo();
    const out = (await offload(json, store, 'runs/t', 100_000, io)) as Record<string, unknown>;
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(100_000);
    // The 400 KB of base64 and the 200 KB text go; the 67 KB blob is not needed to fit; small ones stay.
    expect(io.puts).toBe(2);
    expect(isRef((out['items'] as unknown[])[0])).toBe(true);
    expect(isRef(out['text'])).toBe(true);
    expect(isRef(out['blob'])).toBe(false);
    expect(out['label']).toBe('short');
    expect((out['items'] as unknown[]).length).toBe(2);
    // Bytes are stored as bytes, not base64.
    expect(io.putBytes).toBe(200_002 + 300_000);
    expect(keysOf(io)).toEqual(['runs/t/0', 'runs/t/1']);
    const back = await resolveRefs(out, store, io);
    expect(back).toEqual(original);
    expect(io.gets).toBe(2);
  });

  it('leaves a value under the threshold alone, and with threshold 0 moves every data leaf', async () => {
    const io = newStoreIo();
    const small = encodeValue({ b: bytes(10, 1) });
    expect(await offload(small, store, 'runs/t', 1000, io)).toEqual(encodeValue({ b: bytes(10, 1) }));
    expect(io.puts).toBe(0);
    const all = (await offload(encodeValue([bytes(10, 1), 'tiny', 4]), store, 'runs/t', 0, io)) as unknown[];
    expect(isRef(all[0])).toBe(true);
    expect(all.slice(1)).toEqual(['tiny', 4]);
    // A leaf that is the whole value is replaced too.
    expect(isRef(await offload(encodeValue(bytes(10, 5)), store, 'runs/t', 0, io))).toBe(true);
  });
});

describe('offload, whole values', () => {
  it('moves array items whole when their pointers alone are too many, and brings them back in turn', async () => {
    // 300 groups of 20 byte arrays each: 6000 pointers are about 600 KB of state on their own.
    const groups = Array.from({ length: 300 }, (_, g) => ({ key: `k${g}`, values: Array.from({ length: 20 }, (_, v) => bytes(64, (g + v) % 251)) }));
    const json = encodeValue(groups);
    const original = structuredClone(json);
    const io = newStoreIo();
    const out = (await offload(json, store, 'runs/whole', 100_000, io)) as unknown[];
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(100_000);
    expect(Array.isArray(out)).toBe(true);
    expect(out.length).toBe(300);
    expect(out.some((item) => isRef(item) && (item as { whole?: boolean }).whole)).toBe(true);
    // Baton's own steps take only the whole values back: the data in them stays in the store.
    const shallow = (await resolveRefs(structuredClone(out), store, newStoreIo(), { wholeOnly: true })) as { key: string; values: unknown[] }[];
    expect(shallow.map((g) => g.key)).toEqual(groups.map((_, g) => `k${g}`));
    expect(isRef(shallow[0]!.values[0])).toBe(true);
    expect(await resolveRefs(out, store, io)).toEqual(original);
  });
});
