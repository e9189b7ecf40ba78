import type { DataObject } from '../data-object.ts';
import { IndexedGroups, type IndexedGroup } from './indexed-groups.ts';
import { fire, type CountedTrigger, type Emission, type Offer } from './trigger.ts';

/**
 * DynamicJoin: fires when as many objects as were announced (a set whose size is
 * only known at run time) are present in one scope, in index order. The count may be
 * announced before or after objects arrive; a count of zero fires at once.
 */
export class DynamicJoinTrigger implements CountedTrigger {
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
    return [fire(session, scope, this.groups.take(session, scope, group))];
  }
}
