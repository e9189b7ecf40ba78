/**
 * The runtime on its own, through its public API: no harness, real executor threads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeNode, allocShared, type AppSpec, type DataObject } from '../src/index.ts';

const FUNCTIONS = new URL('./functions.ts', import.meta.url).href;
const objects: { app: string; bucket: string; object: DataObject }[] = [];
let node: RuntimeNode;

beforeAll(async () => {
  node = await RuntimeNode.start({ executors: 2, onObject: (app, bucket, object) => objects.push({ app, bucket, object }) });
});
afterAll(() => node.close());

const app = (name: string, triggers: AppSpec['triggers'], buckets: string[]): AppSpec => ({
  name, functionsUrl: FUNCTIONS, buckets: ['in', 'out', ...buckets], triggers, entry: 'in', result: 'out',
});

describe('reference runtime', () => {
  it('runs a chain through Immediate triggers', async () => {
    node.register(app('chain', [
      { primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'add1', to: ['mid'] } },
      { primitive: 'immediate', bucket: 'mid', action: { kind: 'call', fn: 'square', to: ['out'] } },
    ], ['mid']));
    const result = await node.invoke('chain', 4);
    expect(result.output).toBe(25);
    expect(result.invocations.map((i) => i.fn)).toEqual(['add1', 'square']);
    expect(result.invocations[1]!.parents).toEqual([result.invocations[0]!.id]);
  });

  it('joins a static fan-out with BySet, in branch order', async () => {
    node.register(app('fork', [
      { primitive: 'immediate', bucket: 'in', action: { kind: 'fork', to: ['a', 'b'] } },
      { primitive: 'immediate', bucket: 'a', action: { kind: 'call', fn: 'add1', to: ['join'] } },
      { primitive: 'immediate', bucket: 'b', action: { kind: 'call', fn: 'square', to: ['join'] } },
      { primitive: 'bySet', bucket: 'join', set: ['0', '1'], action: { kind: 'gather', to: ['out'] } },
    ], ['a', 'b', 'join']));
    expect((await node.invoke('fork', 6)).output).toEqual([7, 36]);
  });

  it('joins a dynamic fan-out with DynamicJoin, in item order, including an empty one', async () => {
    node.register(app('map', [
      { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: 'item', join: 'join' } },
      { primitive: 'immediate', bucket: 'item', action: { kind: 'call', fn: 'square', to: ['join'] } },
      { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'call', fn: 'sum', to: ['out'] } },
    ], ['item', 'join']));
    const items = Array.from({ length: 50 }, (_, i) => i);
    const result = await node.invoke('map', items);
    expect(result.output).toBe(items.reduce((t, i) => t + i * i, 0));
    expect(result.invocations.at(-1)!.parents).toHaveLength(50);
    expect((await node.invoke('map', [])).output).toBe(0);
  });

  it('hands bytes to the consumer without a copy', async () => {
    node.register(app('zero-copy', [
      { primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'produce', to: ['bytes'] } },
      { primitive: 'immediate', bucket: 'bytes', action: { kind: 'call', fn: 'scribble', to: ['out'] } },
    ], ['bytes']));
    objects.length = 0;
    const result = await node.invoke('zero-copy', { sizeBytes: 1 << 20, fill: 0x42 });
    expect(result.output).toEqual({ first: 0x42, shared: true, sizeBytes: 1 << 20 });
    // The producer's object, as the node holds it, now carries the consumer's sentinel:
    // producer (thread A), node (main thread) and consumer (thread B) share one buffer.
    const produced = objects.find((o) => o.app === 'zero-copy' && o.bucket === 'bytes')!.object.value as Uint8Array;
    expect(produced.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(produced[0]).toBe(0xee);
    expect(produced[1]).toBe(0x42);
    expect(result.invocations[0]!.copiedBytes).toBe(0);
    expect(new Set(result.invocations.map((i) => i.worker)).size).toBeGreaterThanOrEqual(1);
  });

  it('passes shared input bytes from the caller by reference', async () => {
    node.register(app('scribble-input', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'scribble', to: ['out'] } }], []));
    const input = allocShared(16).fill(1);
    await node.invoke('scribble-input', input);
    expect(input[0]).toBe(0xee);
  });

  it('copies plain output bytes into shared memory once, and says so', async () => {
    node.register(app('plain', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'plainBytes', to: ['out'] } }], []));
    const result = await node.invoke('plain', 1000);
    expect((result.output as Uint8Array).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(result.invocations[0]!.copiedBytes).toBe(1000);
  });

  it('fails a session whose function throws and keeps serving others', async () => {
    node.register(app('boom', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'boom', to: ['out'] } }], []));
    await expect(node.invoke('boom', null)).rejects.toThrow("function 'boom' failed: boom");
    expect((await node.invoke('chain', 1)).output).toBe(4);
  });

  it('replaces an executor thread that dies and fails only the session it was running', async () => {
    node.register(app('exit', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'exitThread', to: ['out'] } }], []));
    await expect(node.invoke('exit', null)).rejects.toThrow(/exited with code 3/);
    const results = await Promise.all([1, 2, 3, 4].map((n) => node.invoke('chain', n)));
    expect(results.map((r) => r.output)).toEqual([4, 9, 16, 25]);
    expect(node.executorCount).toBe(2);
  });

  it('rejects an app that names an undeclared bucket', () => {
    expect(() => node.register(app('bad', [{ primitive: 'immediate', bucket: 'nowhere', action: { kind: 'call', fn: 'add1', to: ['out'] } }], [])))
      .toThrow("triggers[0] names bucket 'nowhere', which is not declared");
  });
});
