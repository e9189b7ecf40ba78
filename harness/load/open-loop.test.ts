/**
 * The open-loop generator on a controlled clock (vitest's fake timers drive both
 * `setTimeout` and `process.hrtime`), so the schedule and the charging of a stall are
 * checked exactly, whatever the load on the machine running the test.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initHistograms } from '../metrics/histogram.ts';
import { openLoop } from './open-loop.ts';

beforeAll(() => initHistograms());
afterEach(() => {
  vi.useRealTimers();
});

const SERVICE_MS = 2;
const STALL = { fromMs: 300, untilMs: 500 };

describe('open-loop load', () => {
  it('keeps to the schedule and charges a server stall to every request scheduled during it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'hrtime', 'performance', 'Date'] });
    const startMs = Date.now();
    const sentAtMs: number[] = [];
    // A server that answers in 2 ms, except that nothing is answered from 300 to 500 ms.
    const send = () =>
      new Promise<void>((resolve) => {
        const nowMs = Date.now() - startMs;
        sentAtMs.push(nowMs);
        const stalled = nowMs >= STALL.fromMs && nowMs < STALL.untilMs;
        setTimeout(resolve, stalled ? STALL.untilMs - nowMs + SERVICE_MS : SERVICE_MS);
      });
    const running = openLoop({ ratePerSec: 200, durationMs: 1000, send });
    await vi.advanceTimersByTimeAsync(1100);
    const result = await running;
    try {
      expect(result.scheduled).toBe(200);
      expect(result.completed).toBe(200);
      expect(result.errors).toBe(0);
      // Every request went out on its slot of the 5 ms schedule, stall or not.
      expect(sentAtMs).toEqual(Array.from({ length: 200 }, (_, i) => i * 5));
      // The 40 requests scheduled during the stall each waited for its end: latency from
      // the scheduled start, not from when a closed-loop client would have sent them.
      const stalled = sentAtMs.filter((t) => t >= STALL.fromMs && t < STALL.untilMs).length;
      expect(stalled).toBe(40);
      expect(result.latencyUs.totalCount).toBe(200);
      expect(result.latencyUs.getValueAtPercentile(50)).toBeCloseTo(SERVICE_MS * 1000, -2);
      expect(result.latencyUs.maxValue).toBeGreaterThanOrEqual((STALL.untilMs - STALL.fromMs) * 1000);
      expect(result.latencyUs.getValueAtPercentile(100 * (1 - stalled / 2 / 200))).toBeGreaterThan(100_000);
      expect(result.achievedPerSec).toBeCloseTo(200 * (1000 / (1000 - 5 + SERVICE_MS)), 0);
    } finally {
      result.latencyUs.destroy();
    }
  });
});
