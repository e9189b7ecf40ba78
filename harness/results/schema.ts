/**
 * The result file: one per run of a suite. Versioned; readers refuse versions they
 * cannot interpret. `results/result.schema.json` is generated from this
 * (`npm run schema`) for tools outside Baton.
 */
import { z } from 'zod';

export const RESULT_SCHEMA_VERSION = 1;

const microseconds = z.number().nonnegative();

export const LatencySummarySchema = z.strictObject({
  p50: microseconds,
  p90: microseconds,
  p99: microseconds,
  p999: microseconds,
  max: microseconds,
  count: z.number().int().nonnegative(),
  medianCi95: z.tuple([microseconds, microseconds]),
});

/** A compressed HDR histogram of integer microseconds (hdr-histogram-js, base64). */
const encodedHistogram = z.string().regex(/^[A-Za-z0-9+/]+=*$/, 'expected a base64 compressed HDR histogram');

/**
 * Parts of the orchestration that a platform can tell apart: Unum's store writes, store
 * reads and invokes; Durable Functions' orchestrator episodes (each a replay of the history).
 */
export const PART_METRICS = ['storeWriteUs', 'storeReadUs', 'invokeUs', 'replayUs'] as const;
export type PartMetric = (typeof PART_METRICS)[number];

/**
 * e2eUs: submit to done, per measured run. transitionUs: downstream user-code start
 * minus upstream user-code end, per edge. overheadUs: e2eUs minus the critical path of
 * user code, per run. criticalPathUs: that critical path (the longest parent -> child chain of
 * function durations), per run. coldE2eUs: e2eUs of every run (warm-up included) with a cold start.
 * windowLatencyUs: per window of a window node, the end of its function's run minus the
 * moment the window's last event was available (the submit: a run's events all arrive with
 * its input); local (monotonic) traces only. storageUs: per invocation that used `ctx.storage`
 * or `ctx.nosql`, the time inside those calls (a part of its own run time).
 */
export const METRICS = ['e2eUs', 'transitionUs', 'overheadUs', 'criticalPathUs', 'coldE2eUs', 'windowLatencyUs', 'storageUs', ...PART_METRICS] as const;
export type MetricName = (typeof METRICS)[number];

const cellFields = {
  workload: z.string().min(1),
  platform: z.string().min(1),
  /** The workload's parameters (numbers) and the platform settings the cell chose (words; absent: the default). */
  params: z.record(z.string(), z.union([z.number(), z.string()])),
  /** Every measured run's output passed the workload's verify. */
  verified: z.boolean(),
  runs: z.strictObject({ warmup: z.number().int().nonnegative(), measured: z.number().int().nonnegative() }),
  /** Invocations that were cold starts, in measured runs. */
  coldStarts: z.number().int().nonnegative(),
  histograms: z.partialRecord(z.enum(METRICS), encodedHistogram),
  summary: z.partialRecord(z.enum(METRICS), LatencySummarySchema),
  /**
   * The median of each independent run (round) merged into this cell, µs, per metric: what
   * run-to-run variation is measured from (harness/compare). Absent for a single run.
   */
  rounds: z.partialRecord(z.enum(METRICS), z.array(z.number().nonnegative())).optional(),
  /**
   * What the functions' own storage calls did, per measured run (means): object puts, gets and
   * lists and their bytes, item puts, gets and queries and the items queries returned.
   */
  storageIo: z
    .strictObject({
      objectPuts: z.number().nonnegative(),
      objectGets: z.number().nonnegative(),
      objectLists: z.number().nonnegative(),
      putBytes: z.number().nonnegative(),
      getBytes: z.number().nonnegative(),
      itemPuts: z.number().nonnegative(),
      itemGets: z.number().nonnegative(),
      itemQueries: z.number().nonnegative(),
      itemsRead: z.number().nonnegative(),
    })
    .optional(),
  /**
   * The load the measured executions ran under, when it was not closed (one at a time):
   * what was scheduled, what completed and failed, the rates, and how late the starts were.
   */
  load: z
    .strictObject({
      mode: z.enum(['burst', 'open', 'trace']),
      description: z.string(),
      scheduled: z.number().int().nonnegative(),
      completed: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      firstError: z.string().optional(),
      /** The rate the schedule asked for (open and trace loads). */
      offeredPerSec: z.number().nonnegative().optional(),
      achievedPerSec: z.number().nonnegative(),
      startLagUs: z.strictObject({ p50: z.number(), p99: z.number(), max: z.number() }),
    })
    .optional(),
  /**
   * Every measured execution and invocation, one row each (harness/metrics/samples.ts):
   * what `baton export` writes out. Columns of one table have equal lengths.
   */
  samples: z
    .strictObject({
      executions: z.strictObject({
        startMs: z.array(z.number()),
        e2eUs: z.array(z.number()),
        criticalPathUs: z.array(z.number()),
        coldStarts: z.array(z.number().int().nonnegative()),
      }),
      invocations: z.strictObject({
        execution: z.array(z.number().int().nonnegative()),
        fn: z.array(z.string()),
        attempt: z.array(z.number().int().positive()),
        startUs: z.array(z.number()),
        durationUs: z.array(z.number()),
        transitionUs: z.array(z.number().nullable()),
        cold: z.array(z.boolean()),
        inBytes: z.array(z.number().nonnegative()),
        outBytes: z.array(z.number().nonnegative()),
        storageUs: z.array(z.number().nullable()),
        worker: z.array(z.string()),
      }),
    })
    .optional(),
  /** The deployment could not be removed after the cell: why (what is left may cost money; `baton cleanup` removes what Baton left). */
  teardownError: z.string().optional(),
  /** Faults injected and what the platform did about them (summed over measured runs). */
  faults: z.record(z.string(), z.number().int().nonnegative()).optional(),
  /** Mean cost of the measured runs, from usage and dated price tables (harness/cost). */
  cost: z
    .strictObject({
      usdPerMillion: z.number().nonnegative(),
      breakdown: z.record(z.string(), z.number().nonnegative()),
      priceDates: z.array(z.iso.date()),
    })
    .optional(),
  /** Why a cell whose usage was counted has no cost (no price table for its region). */
  costUnavailable: z.string().min(1).optional(),
  /** The cloud region the cell ran in (local stand-ins: the region they answer as). */
  region: z.string().min(1).optional(),
};

/**
 * A cell's outcome, tagged on `status`: an `ok` cell has no reason; a `failed` or
 * `unsupported` one must say why.
 */
export const CellSchema = z.discriminatedUnion('status', [
  z.strictObject({ ...cellFields, status: z.literal('ok') }),
  z.strictObject({ ...cellFields, status: z.literal('failed'), reason: z.string().min(1) }),
  z.strictObject({ ...cellFields, status: z.literal('unsupported'), reason: z.string().min(1) }),
]);

export const EnvironmentSchema = z.strictObject({
  batonCommit: z.string(),
  batonDirty: z.boolean(),
  nodeVersion: z.string(),
  cpuModel: z.string(),
  cores: z.number().int().positive(),
  memoryBytes: z.number().int().positive(),
  os: z.string(),
  /** Clock of the traces: monotonic (local) or epoch (cloud). */
  target: z.enum(['local', 'cloud']),
});

export const ResultFileSchema = z.strictObject({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  createdAt: z.iso.datetime(),
  suite: z.string(),
  environment: EnvironmentSchema,
  options: z.strictObject({
    repetitions: z.number().int().positive(),
    warmup: z.number().int().nonnegative(),
    /** Measuring a cell stopped after this long (its runs.measured says how many it got). */
    cellBudgetSeconds: z.number().positive().optional(),
    /** A run with no result after this long failed its cell (`--run-timeout`). */
    runTimeoutSeconds: z.number().positive().optional(),
    target: z.enum(['local', 'cloud']),
    /** How measured executions arrived: closed (the next starts when the previous is done), bursts, open-loop or a trace (`--load`). */
    loop: z.enum(['closed', 'burst', 'open', 'trace']),
    /** The load in full (`--load` with its options), when it was not closed. */
    load: z.string().optional(),
    /** Nodes of self-hosted platforms (`--nodes`). */
    nodes: z.number().int().positive(),
    platforms: z.array(z.string()),
    workloads: z.array(z.string()),
  }),
  cells: z.array(CellSchema),
  /**
   * The run did not finish its plan: it was interrupted (SIGINT, SIGTERM) or is still
   * running (a run writes its file after every cell); `cells` holds the cells it finished.
   */
  interrupted: z.literal(true).optional(),
});

export type ResultFile = z.infer<typeof ResultFileSchema>;
export type CellResult = z.infer<typeof CellSchema>;

/** Why a cell did not succeed; undefined for an `ok` cell. */
export function reasonOf(cell: CellResult): string | undefined {
  return cell.status === 'ok' ? undefined : cell.reason;
}
export type Environment = z.infer<typeof EnvironmentSchema>;
export type LatencySummaryJson = z.infer<typeof LatencySummarySchema>;
