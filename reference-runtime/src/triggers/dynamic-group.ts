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
    const byKey = new Map<string, { values: RuntimeValue[]; parents: Set<string> }>();
    for (const object of producers) {
      const value = object.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value) || isHandle(value)) {
        throw new Error(
          `dynamicGroup: producer ${object.name} returned ${Array.isArray(value) ? 'an array' : typeof value}, expected an object of { groupKey: value }`,
        );
      }
      for (const [key, item] of Object.entries(value)) {
        let group = byKey.get(key);
        if (!group) byKey.set(key, (group = { values: [], parents: new Set() }));
        group.values.push(item as RuntimeValue);
        for (const id of object.producers) group.parents.add(id);
      }
    }
    const keys = [...byKey.keys()].sort();
    return [
      // A group's reducer consumes the values of the producers that contributed to its key, and only those.
      ...keys.map((key, i) => fire(session, [...scope, String(i)], [], { key, values: byKey.get(key)!.values }, [...byKey.get(key)!.parents])),
      { type: 'consumed', objects: producers },
      { type: 'total', session, scope, count: keys.length },
    ];
  }
}
