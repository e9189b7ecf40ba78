import type { DataObject } from '../data-object.ts';
import { CountedGroupTrigger } from './counted.ts';
import type { IndexedGroup } from './indexed-groups.ts';
import { fire, type Emission } from './trigger.ts';

/**
 * ByBatchSize(n): fires with every n consecutive objects (by index), as
 * `{ index, events }` under the scope + the batch index. When the stream's length is
 * announced, the last, shorter batch fires too, and the number of batches is announced.
 */
export class ByBatchSizeTrigger extends CountedGroupTrigger {
  private readonly size: number;
  private readonly nextIndex = new Map<IndexedGroup, number>();

  constructor(size: number) {
    super();
    this.size = size;
  }

  /** Fires every full batch of consecutive indexes present; at the end of the stream, the rest. */
  protected emit(session: string, scope: readonly string[], group: IndexedGroup): Emission[] {
    const emissions: Emission[] = [];
    let next = this.nextIndex.get(group) ?? 0;
    const end = group.expected;
    for (;;) {
      const batchEnd = end === undefined ? next + this.size : Math.min(next + this.size, end);
      if (batchEnd <= next) break;
      const batch: DataObject[] = [];
      for (let i = next; i < batchEnd && group.arrived.has(i); i++) batch.push(group.arrived.get(i)!);
      if (batch.length < batchEnd - next) break;
      for (let i = 0; i < batch.length; i++) group.arrived.delete(next + i);
      const index = next / this.size;
      emissions.push(fire(session, [...scope, String(index)], batch, { index, events: batch.map((o) => o.value) }));
      next = batchEnd;
    }
    this.nextIndex.set(group, next);
    if (end !== undefined && next >= end) {
      this.groups.take(session, scope, group);
      this.nextIndex.delete(group);
      emissions.push({ type: 'total', session, scope, count: Math.ceil(end / this.size) });
    }
    return emissions;
  }
}
