/** Faults: an executor thread that dies is replaced and its call re-run (at-least-once). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeNode } from '../src/index.ts';
import { app } from './helpers.ts';

let node: RuntimeNode;
beforeAll(async () => {
  node = await RuntimeNode.start({ executors: 2, storeBytes: 1 << 20, maxAttempts: 3 });
  node.register(app('crashOnce', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'crashOnce', to: ['out'] } }]));
  node.register(app('exit', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'exitThread', to: ['out'] } }]));
  node.register(app('add1', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'add1', to: ['out'] } }]));
});
afterAll(() => node.close());

describe('executor faults', () => {
  it('re-runs a call whose executor died, and records the attempt', async () => {
    const flag = new Uint8Array(4); // copied into the store: both attempts see the same flag
    const result = await node.invoke('crashOnce', flag);
    expect(result.output).toEqual({ attempt: 2 });
    expect(result.invocations[0]!.attempt).toBe(2);
  });

  it('gives up after maxAttempts with a clear error, and keeps serving', async () => {
    await expect(node.invoke('exit', null)).rejects.toThrow(/exited with code 3 while running 'exitThread' \(attempt 3 of 3\)/);
    const results = await Promise.all([1, 2, 3, 4].map((n) => node.invoke('add1', n)));
    expect(results.map((r) => r.output)).toEqual([2, 3, 4, 5]);
    expect(node.executorCount).toBe(2);
    expect(node.store.arena.usedBytes).toBe(0);
  });
});
