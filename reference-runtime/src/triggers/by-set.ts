import { lastSegment, type DataObject } from '../data-object.ts';
import { SessionGroups, type Firing, type Trigger } from './trigger.ts';

/**
 * Fires when every name in a fixed set is present for one parent scope, with the
 * objects in set order. A name that arrives twice is a duplicate and is ignored.
 */
export class BySetTrigger implements Trigger {
  private readonly groups = new SessionGroups<Map<string, DataObject>>();
  private readonly set: readonly string[];

  constructor(set: readonly string[]) {
    this.set = set;
  }

  offer(object: DataObject): Firing[] {
    const name = lastSegment(object);
    if (!this.set.includes(name)) return [];
    const key = object.scope.slice(0, -1).join('/');
    const group = this.groups.get(object.session, key, () => new Map());
    if (group.has(name)) return [];
    group.set(name, object);
    if (group.size < this.set.length) return [];
    this.groups.delete(object.session, key);
    return [{ session: object.session, scope: object.scope.slice(0, -1), inputs: this.set.map((n) => group.get(n)!) }];
  }

  dropSession(session: string): void {
    this.groups.dropSession(session);
  }
}
