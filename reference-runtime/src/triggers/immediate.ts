import type { DataObject } from '../data-object.ts';
import type { Firing, Trigger } from './trigger.ts';

/** Fires once per object, with that object alone. */
export class ImmediateTrigger implements Trigger {
  offer(object: DataObject): Firing[] {
    return [{ session: object.session, scope: object.scope, inputs: [object] }];
  }

  dropSession(): void {}
}
