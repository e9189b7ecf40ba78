import type { DataObject } from '../data-object.ts';
import type { RuntimeValue } from '../value.ts';
import { isHandle } from '../store/transfer.ts';
import { IndexedGroups, type IndexedGroup } from './indexed-groups.ts';
import { fire, type CountedTrigger, type Emission, type Offer } from './trigger.ts';

/**
 * DynamicGroup (shuffle): every producer's object maps group keys to values. Once all
 * producers of a scope are done (their count announced by a `split`), each group fires
 * once, in key order, with `{ key, values }` (values in producer order), under the
 * scope + the group's index; then the number of groups is announced.
 */
export class DynamicGroupTrigger implements CountedTrigger {
  private readonly groups = new IndexedGroups();

  offer(object: DataObject): Offer {
    const group = this.groups.add(object);
    if (!group) return { emissions: [], kept: false };
    return { emissions: this.fireIfComplete(object.session, object.scope, group), kept: true };
  }

  expect(session: string, scope: readonly string[], count: number): Emission[] {
    return this.fireIfComplete(session, scope, this.groups.expect(session, scope, count));
  }

  dropSession(session: string): DataObject[] {
    return this.groups.dropSession(session);
  }

  private fireIfComplete(session: string, scope: readonly string[], group: IndexedGroup): Emission[] {
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
