import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { initHistograms } from '../metrics/histogram.ts';
import { openLoop } from './open-loop.ts';

beforeAll(() => initHistograms());

describe('open-loop load', () => {
  it('keeps to the schedule and charges a server stall to every request scheduled during it', async () => {
    let stallUntil = 0;
    const server = createServer((_req, res) => {
      const wait = Math.max(0, stallUntil - Date.now());
      setTimeout(() => res.end('ok'), wait);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    setTimeout(() => { stallUntil = Date.now() + 200; }, 300); // one 200 ms stall
    const result = await openLoop({ ratePerSec: 200, durationMs: 1000, send: async () => { await (await fetch(url)).text(); } });
    server.close();
    try {
      expect(result.scheduled).toBe(200);
      expect(result.completed + result.errors).toBe(200);
      expect(result.errors).toBe(0);
      // ~40 requests were scheduled during the stall: each waited for its end, so at
      // least 10% of latencies exceed 50 ms. A closed-loop client would show one slow request.
      expect(result.latencyUs.getValueAtPercentile(90)).toBeGreaterThan(50_000);
      expect(result.latencyUs.getValueAtPercentile(50)).toBeLessThan(50_000);
    } finally {
      result.latencyUs.destroy();
    }
  });
});
