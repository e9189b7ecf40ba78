/**
 * The runtime on its own, through its public API: no harness, real executor threads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeNode } from '../src/index.ts';
import { app } from './helpers.ts';

let node: RuntimeNode;
const produced: Uint8Array[] = [];
const atResult: number[][] = [];

beforeAll(async () => {
  node = await RuntimeNode.start({
    executors: 2,
    storeBytes: 64 << 20,
    onObject: (appName, bucket, object) => {
      if (appName !== 'zero-copy') return;
      if (bucket === 'bytes') produced.push(node.decode(object.value) as Uint8Array);
      if (bucket === 'out') atResult.push([produced[0]![0]!, produced[0]![1]!]);
    },
  });
});
afterAll(() => node.close());

describe('reference runtime', () => {
  it('runs a chain through Immediate triggers, recording who fed whom', async () => {
    node.register(
      app('chain', [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'add1', to: ['mid'] } },
        { primitive: 'immediate', bucket: 'mid', action: { kind: 'call', fn: 'square', to: ['out'] } },
      ]),
    );
    const result = await node.invoke('chain', 4);
    expect(result.output).toBe(25);
    expect(result.invocations.map((i) => i.fn)).toEqual(['add1', 'square']);
    expect(result.invocations[1]!.parents).toEqual([result.invocations[0]!.id]);
  });

  it('hands bytes from one executor thread to another without a copy', async () => {
    node.register(
      app('zero-copy', [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'produce', to: ['bytes'] } },
        { primitive: 'immediate', bucket: 'bytes', action: { kind: 'call', fn: 'scribble', to: ['out'] } },
      ]),
    );
    const result = await node.invoke('zero-copy', { sizeBytes: 1 << 20, fill: 0x42 });
    expect(result.output).toEqual({ first: 0x42, shared: true, sizeBytes: 1 << 20 });
    // When the result arrived, the producer's object (as the scheduler holds it) carried the
    // consumer's sentinel: producer thread, scheduler and consumer thread share one memory.
    expect(produced[0]!.buffer).toBe(node.store.arena.buffers.data);
    expect(atResult[0]).toEqual([0xee, 0x42]);
    expect(result.invocations[0]!.copiedBytes).toBe(0);
  });

  it('copies bytes in at the edges only: caller input in, plain outputs in, the result out', async () => {
    node.register(app('plain', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'plainBytes', to: ['out'] } }]));
    const result = await node.invoke('plain', 1000);
    expect(result.invocations[0]!.copiedBytes).toBe(1000);
    expect(result.output).toEqual(new Uint8Array(1000).fill(7));
    expect((result.output as Uint8Array).buffer).not.toBe(node.store.arena.buffers.data);
    node.register(app('scribble-input', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'scribble', to: ['out'] } }]));
    const input = new Uint8Array(new SharedArrayBuffer(16)).fill(1);
    expect((await node.invoke('scribble-input', input)).output).toMatchObject({ first: 1 });
    expect(input[0]).toBe(1); // the caller's memory is not the store's
  });

  it('frees every object once its session is over', async () => {
    await node.invoke('zero-copy', { sizeBytes: 1 << 20, fill: 1 });
    expect(node.store.arena.usedBytes).toBe(0);
    expect(node.store.liveAllocations).toBe(0);
  });

  it('fails a session whose function throws and keeps serving others', async () => {
    node.register(app('boom', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'boom', to: ['out'] } }]));
    await expect(node.invoke('boom', null)).rejects.toThrow("function 'boom' failed: boom");
    expect((await node.invoke('chain', 1)).output).toBe(4);
  });

  it('rejects an app that names an undeclared bucket', () => {
    expect(() =>
      node.register({ ...app('bad', []), triggers: [{ primitive: 'immediate', bucket: 'nowhere', action: { kind: 'call', fn: 'add1', to: ['out'] } }] }),
    ).toThrow("triggers[0] names bucket 'nowhere', which is not declared");
  });
});
