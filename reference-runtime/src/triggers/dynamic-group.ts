import type { RuntimeValue } from '../value.ts';
import { isHandle } from '../store/transfer.ts';
import { CountedGroupTrigger } from './counted.ts';
import type { IndexedGroup } from './indexed-groups.ts';
import { fire, type Emission } from './trigger.ts';

/**
 * DynamicGroup (shuffle): every producer's object maps group keys to values. Once all
 * producers of a scope are done (their count announced by a `split`), each group fires
 * once, in key order, with `{ key, values }` (values in producer order), under the
 * scope + the group's index; then the number of groups is announced.
 */
export class DynamicGroupTrigger extends CountedGroupTrigger {
  protected emit(session: string, scope: readonly string[], group: IndexedGroup): Emission[] {
    if (!this.groups.isComplete(group)) return [];
    const producers = this.groups.take(session, scope, group);
    const byKey = new Map<string, RuntimeValue[]>();
    for (const object of producers) {
      const value = object.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value) || isHandle(value)) {
        throw new Error(`dynamicGroup: producer ${object.name} returned ${Array.isArray(value) ? 'an array' : typeof value}, expected an object of { groupKey: value }`);
      }
      for (const [key, item] of Object.entries(value)) {
        const values = byKey.get(key);
        if (values) values.push(item as RuntimeValue);
        else byKey.set(key, [item as RuntimeValue]);
      }
    }
    const keys = [...byKey.keys()].sort();
    const parents = producers.flatMap((o) => o.producers);
    return [
      ...keys.map((key, i) => fire(session, [...scope, String(i)], [], { key, values: byKey.get(key)! }, parents)),
      { type: 'consumed', objects: producers },
      { type: 'total', session, scope, count: keys.length },
    ];
  }
}
