import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeNode, startGateway, type Gateway } from '../src/index.ts';
import { app } from './helpers.ts';

let node: RuntimeNode;
let gateway: Gateway;
beforeAll(async () => {
  node = await RuntimeNode.start({ executors: 2, storeBytes: 1 << 20 });
  node.register(
    app('chain', [
      { primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'add1', to: ['mid'] } },
      { primitive: 'immediate', bucket: 'mid', action: { kind: 'call', fn: 'square', to: ['out'] } },
    ]),
  );
  node.register(app('bytes', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'plainBytes', to: ['out'] } }]));
  node.register(app('boom', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'boom', to: ['out'] } }]));
  gateway = await startGateway(node);
});
afterAll(async () => {
  await gateway.close();
  await node.close();
});

const post = (path: string, body: string) => fetch(`${gateway.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('HTTP gateway', () => {
  it('listens on loopback', () => {
    expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('starts a workflow and returns its result', async () => {
    const response = await post('/apps/chain/invoke', '4');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { output: number; latencyUs: number; invocations: number };
    expect(body.output).toBe(25);
    expect(body.invocations).toBe(2);
    expect(body.latencyUs).toBeGreaterThan(0);
  });

  it('carries bytes as base64', async () => {
    const body = (await (await post('/apps/bytes/invoke', '3')).json()) as { output: { $base64: string } };
    expect([...Buffer.from(body.output.$base64, 'base64')]).toEqual([7, 7, 7]);
  });

  it('answers 404, 400 and 500 with a reason', async () => {
    expect((await post('/apps/nope/invoke', '1')).status).toBe(404);
    expect((await post('/apps/chain/invoke', '{oops')).status).toBe(400);
    const failed = await post('/apps/boom/invoke', 'null');
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { error: string }).error).toMatch(/boom/);
    expect(await (await fetch(`${gateway.url}/apps`)).json()).toEqual({ apps: ['chain', 'bytes', 'boom'] });
  });
});
