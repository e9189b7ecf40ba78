import { CountedGroupTrigger } from './counted.ts';
import type { IndexedGroup } from './indexed-groups.ts';
import { fire, type Emission } from './trigger.ts';

/**
 * DynamicJoin: fires when as many objects as were announced (a set whose size is
 * only known at run time) are present in one scope, in index order. The count may be
 * announced before or after objects arrive; a count of zero fires at once.
 */
export class DynamicJoinTrigger extends CountedGroupTrigger {
  protected emit(session: string, scope: readonly string[], group: IndexedGroup): Emission[] {
    if (!this.groups.isComplete(group)) return [];
    return [fire(session, scope, this.groups.take(session, scope, group))];
  }
}
