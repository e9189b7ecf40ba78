import type { DataObject } from '../data-object.ts';
import { ScopedState, fire, type Offer, type Trigger } from './trigger.ts';

interface Group {
  readonly first: DataObject[];
  fired: boolean;
}

/**
 * Redundant (k-out-of-n): fires on the first k objects of a scope, in arrival order;
 * stragglers that arrive later are ignored.
 */
export class RedundantTrigger implements Trigger {
  private readonly state = new ScopedState<Group>();
  private readonly k: number;

  constructor(k: number) {
    this.k = k;
  }

  offer(object: DataObject): Offer {
    const group = this.state.get(object.session, object.scope, () => ({ first: [], fired: false }));
    if (group.fired || group.first.some((o) => o.name === object.name)) return { emissions: [], kept: false };
    group.first.push(object);
    if (group.first.length < this.k) return { emissions: [], kept: true };
    group.fired = true; // kept until the session ends, to recognise stragglers
    return { emissions: [fire(object.session, object.scope, group.first.splice(0))], kept: true };
  }

  dropSession(session: string): DataObject[] {
    return this.state.dropSession(session).flatMap((group) => group.first);
  }
}
