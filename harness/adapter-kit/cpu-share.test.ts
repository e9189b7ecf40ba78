import { afterEach, describe, expect, it } from 'vitest';
import { callFunction } from './run-function.ts';
import { CPU_SHARE_ENV, cpuShareOf, throttleMs } from './cpu-share.ts';

afterEach(() => {
  delete process.env[CPU_SHARE_ENV];
});

/** Spins for `ms` of the CPU: compute, not waiting. */
const spin = (ms: number) => {
  const until = process.hrtime.bigint() + BigInt(ms * 1e6);
  while (process.hrtime.bigint() < until) {
    /* compute */
  }
  return 1;
};

describe("Lambda's CPU share by memory", () => {
  it('is memory over 1769 MB, at most one vCPU', () => {
    expect(cpuShareOf(1769)).toBe(1);
    expect(cpuShareOf(10_240)).toBe(1);
    expect(cpuShareOf(128)).toBeCloseTo(0.0724, 4);
    expect(throttleMs(10, 0.5)).toBe(10);
    expect(throttleMs(10, 1)).toBe(0);
  });

  it("stretches the user code's time by the share the local Lambda sets, and only then", async () => {
    const timed = async () => {
      const { record } = await callFunction({ name: 'spin', fn: () => spin(20), input: null, parents: [], cold: false });
      return Number(BigInt(record.endNs) - BigInt(record.startNs)) / 1e6;
    };
    process.env[CPU_SHARE_ENV] = '0.25';
    // 20 ms of compute at a quarter of a CPU: at least 80 ms (a loaded machine only adds).
    expect(await timed()).toBeGreaterThanOrEqual(80);
    process.env[CPU_SHARE_ENV] = '1';
    expect(await timed()).toBeGreaterThanOrEqual(20);
  });
});
