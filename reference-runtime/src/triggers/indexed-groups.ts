import type { DataObject } from '../data-object.ts';
import { ScopedState } from './trigger.ts';

export interface IndexedGroup {
  expected: number | undefined;
  readonly arrived: Map<number, DataObject>;
}

/**
 * Objects named by integer index, collected per scope, with a count that a `split`
 * announces before or after they arrive. Shared by the counted triggers.
 */
export class IndexedGroups {
  private readonly state = new ScopedState<IndexedGroup>();

  /** Adds an object; returns its group, or undefined when the name is not a new index. */
  add(object: DataObject): IndexedGroup | undefined {
    const index = Number(object.name);
    const group = this.group(object.session, object.scope);
    if (object.name === '' || !Number.isInteger(index) || index < 0 || group.arrived.has(index)) return undefined;
    if (group.expected !== undefined && index >= group.expected) return undefined;
    group.arrived.set(index, object);
    return group;
  }

  expect(session: string, scope: readonly string[], count: number): IndexedGroup {
    const group = this.group(session, scope);
    group.expected = count;
    return group;
  }

  isComplete(group: IndexedGroup): boolean {
    return group.expected !== undefined && group.arrived.size >= group.expected;
  }

  /** The group's objects in index order; removes the group. */
  take(session: string, scope: readonly string[], group: IndexedGroup): DataObject[] {
    this.state.delete(session, scope);
    return [...group.arrived.keys()].sort((a, b) => a - b).map((i) => group.arrived.get(i)!);
  }

  group(session: string, scope: readonly string[]): IndexedGroup {
    return this.state.get(session, scope, () => ({ expected: undefined, arrived: new Map() }));
  }

  dropSession(session: string): DataObject[] {
    return this.state.dropSession(session).flatMap((group) => [...group.arrived.values()]);
  }
}
