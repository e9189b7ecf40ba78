/** Each trigger primitive on a small app with a known output. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeNode } from '../src/index.ts';
import { JOIN, app } from './helpers.ts';

let node: RuntimeNode;
beforeAll(async () => {
  node = await RuntimeNode.start({ executors: 2, storeBytes: 16 << 20 });
});
afterAll(() => node.close());

const run = (name: string, triggers: Parameters<typeof app>[1], input: unknown) => {
  node.register(app(name, triggers));
  return node.invoke(name, input as never);
};

describe('trigger primitives', () => {
  it('Immediate fires once per object', async () => {
    const r = await run('immediate', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'add1', to: ['out'] } }], 1);
    expect(r.output).toBe(2);
  });

  it('ByName routes each object by its name', async () => {
    const triggers: Parameters<typeof app>[1] = [
      {
        primitive: 'immediate',
        bucket: 'in',
        action: { kind: 'label', cases: [{ when: { field: 'n', op: 'gt', value: 10 }, name: 'big' }], otherwise: 'small', to: ['routed'] },
      },
      { primitive: 'byName', bucket: 'routed', name: 'big', action: { kind: 'forward', to: ['pickBig'] } },
      { primitive: 'byName', bucket: 'routed', name: 'small', action: { kind: 'forward', to: ['pickSmall'] } },
      { primitive: 'immediate', bucket: 'pickBig', action: { kind: 'gather', to: ['out'] } },
      { primitive: 'immediate', bucket: 'pickSmall', action: { kind: 'forward', to: ['out'] } },
    ];
    node.register(app('byName', triggers));
    expect((await node.invoke('byName', { n: 20 })).output).toEqual([{ n: 20 }]); // via gather: wrapped in an array
    expect((await node.invoke('byName', { n: 2 })).output).toEqual({ n: 2 });
  });

  it('BySet joins a static fan-out in set order', async () => {
    const r = await run(
      'bySet',
      [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'fork', to: ['a', 'b', 'c'] } },
        { primitive: 'immediate', bucket: 'a', action: { kind: 'call', fn: 'delay', to: [JOIN] } },
        { primitive: 'immediate', bucket: 'b', action: { kind: 'call', fn: 'add1', to: [JOIN] } },
        { primitive: 'immediate', bucket: 'c', action: { kind: 'call', fn: 'square', to: [JOIN] } },
        { primitive: 'bySet', bucket: 'join', set: ['0', '1', '2'], action: { kind: 'gather', to: ['out'] } },
      ],
      30,
    );
    expect(r.output).toEqual([30, 31, 900]);
  });

  it('DynamicJoin joins a run-time-sized fan-out in item order, including an empty one', async () => {
    const triggers: Parameters<typeof app>[1] = [
      { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: 'item', join: 'join' } },
      { primitive: 'immediate', bucket: 'item', action: { kind: 'call', fn: 'square', to: [JOIN] } },
      { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'call', fn: 'sum', to: ['out'] } },
    ];
    const items = Array.from({ length: 50 }, (_, i) => i);
    const r = await run('dynamicJoin', triggers, items);
    expect(r.output).toBe(items.reduce((t, i) => t + i * i, 0));
    expect(r.invocations.at(-1)!.parents).toHaveLength(50);
    expect((await node.invoke('dynamicJoin', [])).output).toBe(0);
  });

  it('ByBatchSize fires every n consecutive objects and the short rest', async () => {
    const events = [1, 2, 3, 4, 5, 6, 7].map((v) => ({ v }));
    const r = await run(
      'byBatchSize',
      [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: { bucket: 'events', pop: true }, join: 'events' } },
        { primitive: 'byBatchSize', bucket: 'events', size: 3, join: 'join', action: { kind: 'call', fn: 'windowTotal', to: [JOIN] } },
        { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'gather', to: ['out'] } },
      ],
      events,
    );
    expect(r.output).toEqual([
      { index: 0, startMs: null, total: 6, count: 3 },
      { index: 1, startMs: null, total: 15, count: 3 },
      { index: 2, startMs: null, total: 7, count: 1 },
    ]);
  });

  it('ByTime groups by event time, whatever the arrival order', async () => {
    const events = [
      { t: 5, v: 1 },
      { t: 25, v: 2 },
      { t: 12, v: 4 },
      { t: 3, v: 8 },
      { t: 47, v: 16 },
    ];
    const r = await run(
      'byTimeEvent',
      [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: { bucket: 'events', pop: true }, join: 'events' } },
        { primitive: 'byTime', bucket: 'events', windowMs: 10, timeField: 't', join: 'join', action: { kind: 'call', fn: 'windowTotal', to: [JOIN] } },
        { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'gather', to: ['out'] } },
      ],
      events,
    );
    expect(r.output).toEqual([
      { index: 0, startMs: 0, total: 9, count: 2 },
      { index: 1, startMs: 10, total: 4, count: 1 },
      { index: 2, startMs: 20, total: 2, count: 1 },
      { index: 3, startMs: 40, total: 16, count: 1 },
    ]);
  });

  it('ByTime on processing time closes a window every windowMs', async () => {
    // Items arrive after 0, 0, 150 and 150 ms; windows of 60 ms split them in two.
    const r = await run(
      'byTimeProcessing',
      [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: 'item', join: 'events' } },
        { primitive: 'immediate', bucket: 'item', action: { kind: 'call', fn: 'delayEvent', to: [{ bucket: 'events', pop: true }] } },
        { primitive: 'byTime', bucket: 'events', windowMs: 60, join: 'join', action: { kind: 'call', fn: 'windowTotal', to: [JOIN] } },
        { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'gather', to: ['out'] } },
      ],
      [0, 0, 150, 150],
    );
    const windows = r.output as { total: number; count: number }[];
    expect(windows.reduce((t, w) => t + w.total, 0)).toBe(300);
    expect(windows.reduce((n, w) => n + w.count, 0)).toBe(4);
    expect(windows.length).toBeGreaterThanOrEqual(2);
    expect(windows[0]!.count).toBe(2); // the two immediate items share the first window
  });

  it('Redundant fires on the first k and ignores the straggler', async () => {
    const STRAGGLER_MS = 6000;
    const started = Date.now();
    const r = await run(
      'redundant',
      [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: 'item', join: 'unused' } },
        { primitive: 'dynamicJoin', bucket: 'unused', action: { kind: 'gather', to: [] } },
        { primitive: 'immediate', bucket: 'item', action: { kind: 'call', fn: 'delay', to: [JOIN] } },
        { primitive: 'redundant', bucket: 'join', k: 2, action: { kind: 'gather', to: ['out'] } },
      ],
      [5, STRAGGLER_MS, 10],
    );
    expect(r.output).toEqual([5, 10]);
    // Fired before the straggler ended, not after it (a behaviour, with seconds of slack).
    expect(Date.now() - started).toBeLessThan(STRAGGLER_MS);
  });

  it('DynamicGroup fires each group once all producers are done, with uneven groups', async () => {
    const r = await run(
      'dynamicGroup',
      [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: 'part', join: 'shuffle' } },
        { primitive: 'immediate', bucket: 'part', action: { kind: 'call', fn: 'byRemainder', to: [{ bucket: 'shuffle', pop: true }] } },
        { primitive: 'dynamicGroup', bucket: 'shuffle', join: 'join', action: { kind: 'call', fn: 'countGroup', to: [JOIN] } },
        { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'gather', to: ['out'] } },
      ],
      [
        [0, 3, 6, 9, 1],
        [12, 15],
        [4, 7, 2],
      ],
    );
    expect(r.output).toEqual([
      { key: '0', count: 6 },
      { key: '1', count: 3 },
      { key: '2', count: 1 },
    ]);
    const reducers = r.invocations.filter((i) => i.fn === 'countGroup');
    // Each reducer's parents are the producers that contributed to its key: 0 from parts 1 and 2, 1 from 1 and 3, 2 from 3.
    expect(reducers.map((i) => i.parents.length)).toEqual([2, 2, 1]);
  });

  it('iterate runs a fold as a chain of calls carrying state', async () => {
    const r = await run('iterate', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'iterate', fn: 'foldAdd', to: ['out'] } }], {
      items: [1, 2, 3],
      state: 0,
    });
    expect(r.output).toBe(14);
    expect(r.invocations.map((i) => i.parents.length)).toEqual([0, 1, 1]);
  });

  it('the store is empty again after all of these', () => {
    expect(node.store.arena.usedBytes).toBe(0);
  });
});
