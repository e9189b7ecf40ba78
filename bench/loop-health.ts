/**
 * A process's own stalls while it serves or generates load: event-loop delay
 * (perf_hooks.monitorEventLoopDelay, sampled every 1 ms) and garbage-collection pauses
 * (PerformanceObserver 'gc' entries), so a latency spike can be put down to one of them, or not.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/**
 * CPU time the hypervisor gave to others while this VM wanted it (the `steal` column of
 * /proc/stat, all CPUs), ms; undefined where the machine does not report it.
 */
export function stealMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const steal = Number(fields[8]);
    return Number.isFinite(steal) ? steal * 10 : undefined; // jiffies of 10 ms (USER_HZ 100)
  } catch {
    return undefined;
  }
}

export interface LoopHealth {
  readonly loopDelayP99Us: number;
  readonly loopDelayMaxUs: number;
  readonly gcPauses: number;
  readonly gcPauseMaxMs: number;
  readonly gcPauseTotalMs: number;
}

export function watchLoopHealth(): { reset(): void; read(): LoopHealth; stop(): void } {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    reset: () => {
      delay.reset();
      pauses = [];
    },
    read: () => ({
      // The histogram is in ns and includes the 1 ms sampling interval itself.
      loopDelayP99Us: Math.max(0, delay.percentile(99) / 1000 - 1000),
      loopDelayMaxUs: Math.max(0, delay.max / 1000 - 1000),
      gcPauses: pauses.length,
      gcPauseMaxMs: pauses.length === 0 ? 0 : Math.max(...pauses),
      gcPauseTotalMs: pauses.reduce((a, b) => a + b, 0),
    }),
    stop: () => {
      delay.disable();
      observer.disconnect();
    },
  };
}
