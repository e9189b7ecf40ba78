import { beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram, histogramOf, initHistograms, withHistogram } from './histogram.ts';
import { bootstrapMedianCi95, median, summarize } from './summary.ts';
import { criticalPathUs, traceProblems, transitionsUs } from './trace-metrics.ts';
import type { InvocationRecord, Trace } from '../model/index.ts';

beforeAll(() => initHistograms());

describe('histograms', () => {
  it('give percentiles within 3 significant digits, and survive encode/decode', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i + 1); // 1..10000 µs
    withHistogram(histogramOf(values), (h) => {
      const s = summarize(h);
      expect(s.count).toBe(10_000);
      expect(Math.abs(s.p50 - 5000)).toBeLessThanOrEqual(5);
      expect(Math.abs(s.p99 - 9900)).toBeLessThanOrEqual(10);
      expect(Math.abs(s.max - 10_000)).toBeLessThanOrEqual(10);
      withHistogram(decodeHistogram(encodeHistogram(h)), (copy) => expect(summarize(copy)).toEqual(s));
    });
  });

  it('refuse negative latencies', () => {
    expect(() => histogramOf([-1])).toThrow(RangeError);
  });
});

describe('bootstrap CI of the median', () => {
  it('brackets the median, and narrows with more data', () => {
    const small = Array.from({ length: 20 }, (_, i) => 100 + i * 10);
    const large = Array.from({ length: 2000 }, (_, i) => 100 + (i % 20) * 10);
    const [lo, hi] = bootstrapMedianCi95(small);
    const [lo2, hi2] = bootstrapMedianCi95(large);
    expect(lo).toBeLessThanOrEqual(median(Float64Array.from(small)));
    expect(hi).toBeGreaterThanOrEqual(median(Float64Array.from(small)));
    expect(hi2 - lo2).toBeLessThan(hi - lo);
  });

  it('median handles odd and even counts', () => {
    expect(median(Float64Array.from([5, 1, 3]))).toBe(3);
    expect(median(Float64Array.from([4, 1, 3, 2]))).toBe(2.5);
  });
});

describe('trace metrics', () => {
  const inv = (id: string, startNs: number, endNs: number, parents: string[] = []): InvocationRecord => ({
    fn: 'f',
    id,
    attempt: 1,
    startNs: BigInt(startNs),
    endNs: BigInt(endNs),
    inBytes: 0,
    outBytes: 0,
    worker: 'w',
    cold: false,
    parents,
  });

  it('measure a join from the last parent to end', () => {
    const trace: Trace = { clock: 'monotonic', invocations: [inv('a', 0, 1000), inv('b', 0, 5000), inv('c', 7000, 8000, ['a', 'b'])] };
    expect(transitionsUs(trace)).toEqual([2]);
    expect(traceProblems(trace)).toEqual([]);
  });

  it('find the critical path of user code through a fan-out and join', () => {
    // a (1 ms) -> b (5 ms) and c (2 ms) -> d (1 ms): the critical path is a, b, d = 7 ms.
    const trace: Trace = {
      clock: 'monotonic',
      invocations: [
        inv('a', 0, 1_000_000),
        inv('b', 1_100_000, 6_100_000, ['a']),
        inv('c', 1_100_000, 3_100_000, ['a']),
        inv('d', 6_200_000, 7_200_000, ['b', 'c']),
      ],
    };
    expect(criticalPathUs(trace)).toBe(7000);
  });

  it('flag negative transitions, unknown parents and time running backwards', () => {
    const trace: Trace = { clock: 'monotonic', invocations: [inv('a', 0, 5000), inv('b', 4000, 3000, ['a', 'zz'])] };
    const problems = traceProblems(trace).join('\n');
    expect(problems).toMatch(/ends before it starts/);
    expect(problems).toMatch(/unknown parent zz/);
    expect(problems).toMatch(/negative/);
  });
});
