/**
 * Starting work on a schedule: each item at its offset from the start, whether or not earlier
 * ones have finished. The timer wakes at least every millisecond and starts everything that
 * is due, so a late wake-up starts the overdue items at once (their lag is recorded) instead
 * of shifting the rest of the schedule.
 */
export interface Started {
  readonly startNs: bigint;
  /** How late each item started, µs (its schedule error). */
  readonly lagUs: readonly number[];
}

/** Offsets in ns from the start, ascending. `start` must not throw; it is given the item's scheduled time. */
export function startOnSchedule(offsetsNs: readonly number[], start: (index: number, scheduledNs: bigint) => void, signal?: AbortSignal): Promise<Started> {
  const startNs = process.hrtime.bigint();
  const lagUs: number[] = [];
  let next = 0;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (signal?.aborted) return reject(signal.reason);
      const nowNs = process.hrtime.bigint();
      const elapsedNs = Number(nowNs - startNs);
      while (next < offsetsNs.length && offsetsNs[next]! <= elapsedNs) {
        const scheduledNs = startNs + BigInt(Math.round(offsetsNs[next]!));
        lagUs.push(Number(process.hrtime.bigint() - scheduledNs) / 1000);
        start(next, scheduledNs);
        next++;
      }
      if (next < offsetsNs.length) setTimeout(tick, Math.max(0, Math.min(1, (offsetsNs[next]! - elapsedNs) / 1e6)));
      else resolve({ startNs, lagUs });
    };
    tick();
  });
}
