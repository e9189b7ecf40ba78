/** Several node processes on loopback: correct results, and a node crash that fails fast. */
import { connect } from 'node:net';
import { serialize } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../src/index.ts';
import { JOIN, app } from './helpers.ts';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const mapApp = app('map', [
  { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: 'item', join: 'join' } },
  { primitive: 'immediate', bucket: 'item', action: { kind: 'call', fn: 'produce', to: [JOIN] } },
  { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'call', fn: 'identity', to: ['out'] } },
]);

describe('cluster of node processes', () => {
  it('runs a fan-out across 3 nodes, moving large objects between them, with the right output', async () => {
    cluster = await Cluster.start({ nodes: 3, executorsPerNode: 1, placement: 'spread' });
    await cluster.register(mapApp);
    const items = Array.from({ length: 9 }, (_, i) => ({ sizeBytes: i % 3 === 0 ? 200_000 : 1000, fill: i }));
    const result = await cluster.invoke('map', items);
    const output = result.output as Uint8Array[];
    expect(output.map((o) => [o.length, o[0], o[o.length - 1]])).toEqual(items.map((it) => [it.sizeBytes, it.fill, it.fill]));
    expect(new Set(result.invocations.map((i) => i.worker.split('/')[0])).size).toBe(3);
  });

  it('runs a chain whose links land on different nodes', async () => {
    cluster = await Cluster.start({ nodes: 3, executorsPerNode: 1, placement: 'spread' });
    await cluster.register(
      app('chain', [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'add1', to: ['a'] } },
        { primitive: 'immediate', bucket: 'a', action: { kind: 'call', fn: 'square', to: ['b'] } },
        { primitive: 'immediate', bucket: 'b', action: { kind: 'call', fn: 'add1', to: ['out'] } },
      ]),
    );
    const result = await cluster.invoke('chain', 2);
    expect(result.output).toBe(10);
    const nodes = result.invocations.map((i) => i.worker.split('/')[0]);
    expect(new Set(nodes).size).toBe(3);
  });

  it('fails the sessions that needed a node that died, within a bounded time, and serves the rest', async () => {
    cluster = await Cluster.start({ nodes: 3, executorsPerNode: 1, placement: 'spread' });
    await cluster.register(
      app('slow', [
        { primitive: 'immediate', bucket: 'in', action: { kind: 'split', to: 'item', join: 'join' } },
        { primitive: 'immediate', bucket: 'item', action: { kind: 'call', fn: 'delay', to: [JOIN] } },
        { primitive: 'dynamicJoin', bucket: 'join', action: { kind: 'gather', to: ['out'] } },
      ]),
    );
    const home = cluster.homeOf('slow');
    const victim = cluster.nodeNames.find((n) => n !== home)!;
    const slowMs = 10_000;
    const running = cluster.invoke('slow', [slowMs, slowMs, slowMs]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const killedAt = Date.now();
    cluster.kill(victim);
    await expect(running).rejects.toThrow(`node ${victim} died`);
    // Failed when the node died, not when the slow calls would have ended (seconds of slack for a loaded machine).
    expect(Date.now() - killedAt).toBeLessThan(slowMs - 300);
  });

  it('fails sessions at once when their home node dies', async () => {
    cluster = await Cluster.start({ nodes: 2, executorsPerNode: 1 });
    await cluster.register(app('slow', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'delay', to: ['out'] } }]));
    const home = cluster.homeOf('slow');
    const running = cluster.invoke('slow', 5000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    cluster.kill(home);
    await expect(running).rejects.toThrow(`node ${home} died (SIGKILL)`);
    await expect(cluster.invoke('slow', 1)).rejects.toThrow(`node ${home} died`);
  });

  it('lets in only its own nodes: a stranger on a peer port gets nothing, a malformed frame closes that connection, not the node', async () => {
    cluster = await Cluster.start({ nodes: 2, executorsPerNode: 1 });
    await cluster.register(app('after-strangers', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'square', to: ['out'] } }]));
    const port = cluster.peerPorts[0]!;
    const talk = (frames: Buffer[]) =>
      new Promise<{ received: number; closed: boolean }>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port }, () => {
          for (const frame of frames) socket.write(frame);
        });
        let received = 0;
        socket.on('data', (chunk: Buffer) => {
          received += chunk.length;
        });
        socket.on('error', () => {});
        socket.on('close', () => resolve({ received, closed: true }));
        setTimeout(() => {
          socket.destroy();
          resolve({ received, closed: false });
        }, 3000).unref();
      });
    const frame = (message: unknown): Buffer => {
      const body = serialize(message);
      const header = Buffer.alloc(4);
      header.writeUInt32LE(body.length);
      return Buffer.concat([header, body]);
    };
    // A request for the node's memory, without the cluster's secret: closed, no bytes.
    expect(await talk([frame({ type: 'fetch', at: [0, 4096], $id: 1 })])).toEqual({ received: 0, closed: true });
    expect(await talk([frame({ type: 'hello', secret: 'guess' }), frame({ type: 'fetch', at: [0, 4096], $id: 1 })])).toEqual({ received: 0, closed: true });
    // Garbage where a frame should be.
    expect(await talk([Buffer.from([5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff])])).toEqual({ received: 0, closed: true });
    // The node is still there.
    expect((await cluster.invoke('after-strangers', 7)).output).toBe(49);
  });
});
