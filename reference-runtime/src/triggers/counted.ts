import type { DataObject } from '../data-object.ts';
import { IndexedGroups, type IndexedGroup } from './indexed-groups.ts';
import type { CountedTrigger, Emission, Offer } from './trigger.ts';

/**
 * The shape shared by the triggers that collect indexed objects per scope until a
 * `split` has announced how many there are: each decides what to emit from a group.
 */
export abstract class CountedGroupTrigger implements CountedTrigger {
  protected readonly groups = new IndexedGroups();

  offer(object: DataObject): Offer {
    const group = this.groups.add(object);
    if (!group) return { emissions: [], kept: false };
    return { emissions: this.emit(object.session, object.scope, group), kept: true };
  }

  expect(session: string, scope: readonly string[], count: number): Emission[] {
    return this.emit(session, scope, this.groups.expect(session, scope, count));
  }

  dropSession(session: string): DataObject[] {
    return this.groups.dropSession(session);
  }

  /** What the group fires now (often nothing); called after every arrival and the announcement. */
  protected abstract emit(session: string, scope: readonly string[], group: IndexedGroup): Emission[];
}
