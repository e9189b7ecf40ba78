/** The object store's memory bound: back-pressure on producers, or a clear error; never a crash. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RuntimeNode } from '../src/index.ts';
import { Arena, StoreFullError } from '../src/store/arena.ts';
import { JOIN, app } from './helpers.ts';

const MiB = 1 << 20;
let node: RuntimeNode | undefined;
afterEach(async () => {
  await node?.close();
  node = undefined;
});

/** Each item: produce 1 MiB, then consume it (holding it 30 ms); the join sees only small sums. */
const produceConsume = app('produce-consume', [
  { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: 'item', join: 'join' } },
  { primitive: 'immediate', bucket: 'item', action: { kind: 'call', fn: 'produce', to: [{ bucket: 'made', name: 'bytes' }] } },
  { primitive: 'immediate', bucket: 'made', action: { kind: 'gather', shape: 'record', wrap: { field: 'unused', with: { holdMs: 30 } }, to: ['toConsume'] } },
  { primitive: 'immediate', bucket: 'toConsume', action: { kind: 'call', fn: 'consumeRecord', to: [JOIN] } },
  { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'call', fn: 'sum', to: ['out'] } },
]);

describe('object store', () => {
  it('makes producers wait when full, and finishes once consumers free memory', async () => {
    node = await RuntimeNode.start({ executors: 2, storeBytes: 2 * MiB + 4096, allocWaitMs: 5000 });
    node.register(produceConsume);
    const items = Array.from({ length: 8 }, () => ({ sizeBytes: MiB, fill: 1 }));
    const result = await node.invoke('produce-consume', items);
    expect(result.output).toBe(8 * MiB);
    expect(node.store.arena.peakBytes).toBeLessThanOrEqual(2 * MiB + 4096);
    expect(node.store.arena.waits).toBeGreaterThan(0); // some producer did wait
    expect(node.store.arena.usedBytes).toBe(0);
  });

  it('fails the session with a clear error when memory can never be freed, and keeps serving', async () => {
    node = await RuntimeNode.start({ executors: 2, storeBytes: 2 * MiB, allocWaitMs: 200 });
    // Every output waits in the join: the third 1 MiB allocation can never succeed.
    node.register(
      app('hoard', [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: 'item', join: 'join' } },
        { primitive: 'immediate', bucket: 'item', action: { kind: 'call', fn: 'produce', to: [JOIN] } },
        { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'gather', to: ['out'] } },
      ]),
    );
    const items = Array.from({ length: 4 }, () => ({ sizeBytes: MiB, fill: 1 }));
    await expect(node.invoke('hoard', items)).rejects.toThrow(/object store full: 1048576 bytes requested, \d+ of 2097152 bytes in use after waiting 200 ms/);
    // What the failed session held is free again once its last in-flight call has returned.
    await vi.waitFor(() => expect(node!.store.arena.usedBytes).toBe(0), { timeout: 2000 });
    const ok = await node.invoke('hoard', items.slice(0, 1));
    expect((ok.output as Uint8Array[])[0]!.length).toBe(MiB);
  });

  it('refuses an allocation larger than the whole store at once', () => {
    const arena = Arena.create(MiB);
    expect(() => arena.alloc(2 * MiB, 1, 1000)).toThrow(StoreFullError);
    expect(() => arena.alloc(2 * MiB, 1, 1000)).toThrow(/more than its whole capacity/);
  });

  it('reuses freed memory first-fit and never hands out a block twice', () => {
    const arena = Arena.create(16 * 4096);
    const a = arena.alloc(4 * 4096, 255, 0);
    const b = arena.alloc(4 * 4096, 255, 0);
    arena.free(arena.runStartOf(a));
    const c = arena.alloc(8 * 4096, 255, 0);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(c).toBeGreaterThanOrEqual(b + 4 * 4096);
    expect(() => arena.alloc(5 * 4096, 255, 0)).toThrow(StoreFullError);
    expect(arena.alloc(4 * 4096, 255, 0)).toBe(a);
  });
});
