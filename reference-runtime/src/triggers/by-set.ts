import type { DataObject } from '../data-object.ts';
import { ScopedState, fire, type Offer, type Trigger } from './trigger.ts';

/**
 * BySet: fires when every name of a fixed set is present in one scope, with the
 * objects in set order. A name that arrives twice is a duplicate and is ignored.
 */
export class BySetTrigger implements Trigger {
  private readonly state = new ScopedState<Map<string, DataObject>>();
  private readonly set: readonly string[];

  constructor(set: readonly string[]) {
    this.set = set;
  }

  offer(object: DataObject): Offer {
    if (!this.set.includes(object.name)) return { emissions: [], kept: false };
    const group = this.state.get(object.session, object.scope, () => new Map());
    if (group.has(object.name)) return { emissions: [], kept: false };
    group.set(object.name, object);
    if (group.size < this.set.length) return { emissions: [], kept: true };
    this.state.delete(object.session, object.scope);
    return {
      emissions: [
        fire(
          object.session,
          object.scope,
          this.set.map((n) => group.get(n)!),
        ),
      ],
      kept: true,
    };
  }

  dropSession(session: string): DataObject[] {
    return this.state.dropSession(session).flatMap((group) => [...group.values()]);
  }
}
