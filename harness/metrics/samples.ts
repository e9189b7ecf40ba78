/**
 * A cell's measured executions and their invocations, one row each (columns of equal
 * length), for `baton export` and the notebooks that want more than the histograms: when
 * each execution started, its latency and critical path, and per invocation its function,
 * start (from the execution's first invocation), duration, transition and bytes.
 */
import type { Trace } from '../model/index.ts';

export interface SamplesJson {
  readonly executions: {
    /** Start of the execution (its scheduled start under a load) from the first measured one of its run, ms. */
    readonly startMs: number[];
    readonly e2eUs: number[];
    readonly criticalPathUs: number[];
    readonly coldStarts: number[];
  };
  readonly invocations: {
    /** Row of its execution in `executions`. */
    readonly execution: number[];
    readonly fn: string[];
    readonly attempt: number[];
    /** From the execution's first invocation's start, µs (clocks agree within a trace). */
    readonly startUs: number[];
    readonly durationUs: number[];
    /** Its start minus the latest end among its parents, µs; null for one fed by the workflow input. */
    readonly transitionUs: (number | null)[];
    readonly cold: boolean[];
    readonly inBytes: number[];
    readonly outBytes: number[];
    /** Time with a storage call in flight, µs; null when it made none. */
    readonly storageUs: (number | null)[];
    readonly worker: string[];
  };
}

const round = (us: number) => Math.round(us * 1000) / 1000;

export class CellSamples {
  private firstNs: bigint | undefined;
  private readonly json: SamplesJson = emptySamples();

  add(fromNs: bigint, e2eUs: number, criticalPathUs: number, trace: Trace): void {
    this.firstNs ??= fromNs;
    const { executions, invocations } = this.json;
    const row = executions.e2eUs.length;
    executions.startMs.push(round(Number(fromNs - this.firstNs) / 1e6));
    executions.e2eUs.push(round(e2eUs));
    executions.criticalPathUs.push(round(criticalPathUs));
    executions.coldStarts.push(trace.invocations.filter((i) => i.cold).length);
    const byId = new Map(trace.invocations.map((i) => [i.id, i]));
    const originNs = trace.invocations.reduce<bigint | undefined>((min, i) => (min === undefined || i.startNs < min ? i.startNs : min), undefined) ?? 0n;
    for (const inv of trace.invocations) {
      const parentEnds = inv.parents.flatMap((p) => {
        const parent = byId.get(p);
        return parent ? [parent.endNs] : [];
      });
      const lastParentEnd = parentEnds.reduce<bigint | undefined>((max, end) => (max === undefined || end > max ? end : max), undefined);
      invocations.execution.push(row);
      invocations.fn.push(inv.fn);
      invocations.attempt.push(inv.attempt);
      invocations.startUs.push(round(Number(inv.startNs - originNs) / 1000));
      invocations.durationUs.push(round(Number(inv.endNs - inv.startNs) / 1000));
      invocations.transitionUs.push(lastParentEnd === undefined ? null : round(Number(inv.startNs - lastParentEnd) / 1000));
      invocations.cold.push(inv.cold);
      invocations.inBytes.push(inv.inBytes);
      invocations.outBytes.push(inv.outBytes);
      invocations.storageUs.push(inv.storage ? round(inv.storage.us) : null);
      invocations.worker.push(inv.worker);
    }
  }

  toJson(): SamplesJson | undefined {
    return this.json.executions.e2eUs.length > 0 ? this.json : undefined;
  }
}

/** Samples of several rounds of one cell, one after another (execution rows renumbered). */
export function concatSamples(parts: readonly (SamplesJson | undefined)[]): SamplesJson | undefined {
  const present = parts.filter((p): p is SamplesJson => p !== undefined);
  if (present.length === 0) return undefined;
  const out = emptySamples();
  let offset = 0;
  for (const part of present) {
    for (const [name, column] of Object.entries(part.executions)) (out.executions as unknown as Record<string, unknown[]>)[name]!.push(...column);
    for (const [name, column] of Object.entries(part.invocations))
      (out.invocations as unknown as Record<string, unknown[]>)[name]!.push(...(name === 'execution' ? (column as number[]).map((r) => r + offset) : column));
    offset += part.executions.e2eUs.length;
  }
  return out;
}

function emptySamples(): SamplesJson {
  return {
    executions: { startMs: [], e2eUs: [], criticalPathUs: [], coldStarts: [] },
    invocations: {
      execution: [],
      fn: [],
      attempt: [],
      startUs: [],
      durationUs: [],
      transitionUs: [],
      cold: [],
      inBytes: [],
      outBytes: [],
      storageUs: [],
      worker: [],
    },
  };
}
