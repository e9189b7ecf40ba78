import type { DataObject } from '../data-object.ts';
import { fire, type Offer, type Trigger } from './trigger.ts';

/** Immediate: fires once per object, with that object alone. */
export class ImmediateTrigger implements Trigger {
  offer(object: DataObject): Offer {
    return { emissions: [fire(object.session, object.scope, [object])], kept: true };
  }

  dropSession(): DataObject[] {
    return [];
  }
}
