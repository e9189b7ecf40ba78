/**
 * Open-loop load: requests start on a fixed schedule (rate per second), whether or
 * not earlier ones have finished. Each latency is measured from the request's
 * *scheduled* start, so a stalled server cannot hide its stall by slowing the
 * client down (no coordinated omission), as in wrk2.
 *
 * autocannon is not used for this: its rate limiting sends bursts and its
 * coordinated-omission correction is wrong; it stays fit for closed-loop runs.
 */
import { newHistogram, recordUs, type Histogram } from '../metrics/histogram.ts';
import { startOnSchedule } from './schedule.ts';

export interface OpenLoopOptions {
  readonly ratePerSec: number;
  readonly durationMs: number;
  /** Sends one request; resolves when its response is complete, rejects on error. */
  readonly send: () => Promise<void>;
  /** Requests still in flight this long after the schedule ends count as errors. */
  readonly drainMs?: number;
}

export interface OpenLoopResult {
  /** Latency from scheduled start to completion, µs (caller destroys). */
  readonly latencyUs: Histogram;
  readonly scheduled: number;
  readonly completed: number;
  readonly errors: number;
  readonly achievedPerSec: number;
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const intervalNs = 1e9 / options.ratePerSec;
  const total = Math.max(1, Math.floor((options.ratePerSec * options.durationMs) / 1000));
  const latencyUs = newHistogram();
  let completed = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const offsetsNs = Array.from({ length: total }, (_, i) => i * intervalNs);
  const { startNs } = await startOnSchedule(offsetsNs, (_, scheduledNs) => {
    const request = options.send().then(
      () => {
        completed++;
        recordUs(latencyUs, Number(process.hrtime.bigint() - scheduledNs) / 1000);
      },
      () => {
        errors++;
      },
    );
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  });
  const drain = new Promise<void>((resolve) => setTimeout(resolve, options.drainMs ?? 10_000).unref());
  await Promise.race([Promise.all(inFlight), drain]);
  errors += inFlight.size;
  const elapsedSec = Number(process.hrtime.bigint() - startNs) / 1e9;
  return { latencyUs, scheduled: total, completed, errors, achievedPerSec: completed / elapsedSec };
}
