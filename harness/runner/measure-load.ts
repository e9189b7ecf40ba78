/**
 * A cell's measured executions under a load other than closed: bursts of N at once, or
 * arrivals on a schedule (open-loop rate, or a trace). Each execution is started at its
 * scheduled time whatever the others are doing, and its latency counts from that time.
 * An execution that fails is counted, not fatal: under load, errors are part of the result.
 */
import { startOnSchedule } from '../load/schedule.ts';
import type { LoadSpec } from '../load/load-spec.ts';
import { errorMessage } from '../model/errors.ts';

/** What a cell runs under its load: rounds of simultaneous starts, or one schedule of arrivals. */
export type Schedule =
  | { readonly kind: 'rounds'; readonly size: number; readonly rounds: number }
  | { readonly kind: 'arrivals'; readonly offsetsMs: readonly number[] };

export interface LoadOutcome {
  readonly scheduled: number;
  readonly completed: number;
  readonly failed: number;
  readonly firstError?: string;
  /** How late each execution started against its schedule, µs. */
  readonly startLagUs: readonly number[];
  /** Executions completed per second, from the first scheduled start to the last completion. */
  readonly achievedPerSec: number;
  /** Executions the schedule asked for per second, over its span (arrivals only: a burst asks for no rate). */
  readonly offeredPerSec?: number;
}

/** Runs the schedule; `run` does one execution (and records it) from its scheduled start, rejecting on failure. */
export async function measureUnderLoad(schedule: Schedule, run: (scheduledNs: bigint) => Promise<void>, signal?: AbortSignal): Promise<LoadOutcome> {
  let completed = 0;
  let failed = 0;
  let firstError: string | undefined;
  const lagUs: number[] = [];
  const runs: Promise<void>[] = [];
  const launch = (_: number, scheduledNs: bigint): void => {
    runs.push(
      run(scheduledNs).then(
        () => void completed++,
        (error: unknown) => {
          if (signal?.aborted) return;
          failed++;
          firstError ??= errorMessage(error);
        },
      ),
    );
  };
  const firstNs = process.hrtime.bigint();
  let spanSec: number | undefined;
  if (schedule.kind === 'rounds') {
    for (let round = 0; round < schedule.rounds; round++) {
      if (signal?.aborted) throw signal.reason;
      const started = await startOnSchedule(new Array<number>(schedule.size).fill(0), launch, signal);
      lagUs.push(...started.lagUs);
      await Promise.all(runs.splice(0));
    }
  } else {
    const started = await startOnSchedule(
      schedule.offsetsMs.map((ms) => ms * 1e6),
      launch,
      signal,
    );
    lagUs.push(...started.lagUs);
    await Promise.all(runs);
    // The schedule's span: n arrivals at a fixed rate span n intervals, the last one's included.
    const last = schedule.offsetsMs.at(-1) ?? 0;
    spanSec = schedule.offsetsMs.length > 1 ? (last * schedule.offsetsMs.length) / (schedule.offsetsMs.length - 1) / 1000 : 0;
  }
  if (signal?.aborted) throw signal.reason;
  const elapsedSec = Number(process.hrtime.bigint() - firstNs) / 1e9;
  const scheduled = schedule.kind === 'rounds' ? schedule.size * schedule.rounds : schedule.offsetsMs.length;
  return {
    scheduled,
    completed,
    failed,
    ...(firstError ? { firstError } : {}),
    startLagUs: lagUs,
    achievedPerSec: elapsedSec > 0 ? completed / elapsedSec : 0,
    ...(spanSec ? { offeredPerSec: scheduled / spanSec } : {}),
  };
}

/** The schedule of a load, for a cell of `repetitions` runs (`arrivalsMs`: a trace's, as planned); closed has none (the runner's own loop). */
export function scheduleOf(load: LoadSpec, repetitions: number, arrivalsMs: readonly number[] = []): Schedule | undefined {
  switch (load.mode) {
    case 'closed':
      return undefined;
    case 'burst':
      return { kind: 'rounds', size: load.concurrency, rounds: repetitions };
    case 'open':
      return {
        kind: 'arrivals',
        offsetsMs: Array.from({ length: Math.floor(load.ratePerSec * load.durationSeconds) }, (_, i) => (i * 1000) / load.ratePerSec),
      };
    case 'trace':
      return { kind: 'arrivals', offsetsMs: arrivalsMs };
  }
}
