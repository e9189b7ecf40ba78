import { lastSegment, type DataObject } from '../data-object.ts';
import { SessionGroups, type CountedTrigger, type Firing } from './trigger.ts';

interface Group {
  expected: number | undefined;
  readonly arrived: Map<number, DataObject>;
}

/**
 * Fires when as many objects as were announced (a set whose size is only known at run
 * time) are present for one parent scope, with the objects in index order. The count
 * may be announced before or after objects arrive; a count of zero fires at once.
 */
export class DynamicJoinTrigger implements CountedTrigger {
  private readonly groups = new SessionGroups<Group>();

  offer(object: DataObject): Firing[] {
    const index = Number(lastSegment(object));
    const scope = object.scope.slice(0, -1);
    const group = this.group(object.session, scope);
    if (!Number.isInteger(index) || group.arrived.has(index)) return [];
    group.arrived.set(index, object);
    return this.fireIfComplete(object.session, scope, group);
  }

  expect(session: string, scope: readonly string[], count: number): Firing[] {
    const group = this.group(session, scope);
    group.expected = count;
    return this.fireIfComplete(session, scope, group);
  }

  dropSession(session: string): void {
    this.groups.dropSession(session);
  }

  private group(session: string, scope: readonly string[]): Group {
    return this.groups.get(session, scope.join('/'), () => ({ expected: undefined, arrived: new Map() }));
  }

  private fireIfComplete(session: string, scope: readonly string[], group: Group): Firing[] {
    if (group.expected === undefined || group.arrived.size < group.expected) return [];
    this.groups.delete(session, scope.join('/'));
    const inputs = Array.from({ length: group.expected }, (_, i) => group.arrived.get(i)!);
    return [{ session, scope, inputs }];
  }
}
