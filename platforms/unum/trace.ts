/**
 * The trace of a Unum session from the records in its checkpoints. Baton's own nodes
 * ($spread, $collect) run no user code: they are left out, and whoever consumed their
 * output is linked to their parents instead.
 */
import type { Trace } from '../../harness/model/index.ts';
import { invocationOf } from '../../harness/adapter-kit/index.ts';
import type { UnumRecord } from './wrapper/payload.ts';

const isSystem = (fn: string) => fn.startsWith('$');

export function traceFromRecords(records: readonly UnumRecord[], clock: Trace['clock']): Trace {
  const byId = new Map(records.map((r) => [r.id, r]));
  const userParents = (ids: readonly string[], seen = new Set<string>()): string[] =>
    ids.flatMap((id) => {
      const record = byId.get(id);
      if (!record || !isSystem(record.fn) || seen.has(id)) return [id];
      seen.add(id);
      return userParents(record.parents, seen);
    });
  const invocations = records.filter((r) => !isSystem(r.fn)).map((r) => invocationOf(r, clock, [...new Set(userParents(r.parents))]));
  return { clock, invocations };
}

/** The transitions into user functions, split by what they spent: store writes, store reads, invokes (µs). */
export function transitionParts(records: readonly UnumRecord[]): Record<'storeWriteUs' | 'storeReadUs' | 'invokeUs', number[]> {
  const parts = { storeWriteUs: [] as number[], storeReadUs: [] as number[], invokeUs: [] as number[] };
  for (const r of records) {
    if (!r.transition) continue;
    parts.storeWriteUs.push(r.transition.storeWriteUs);
    parts.storeReadUs.push(r.transition.storeReadUs);
    parts.invokeUs.push(Math.max(0, r.transition.invokeUs));
  }
  return parts;
}
