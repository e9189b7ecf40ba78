import type { DataObject } from '../data-object.ts';
import { fire, type Offer, type Trigger } from './trigger.ts';

/** ByName: fires once per object whose name is `name`; other objects pass it by. */
export class ByNameTrigger implements Trigger {
  private readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  offer(object: DataObject): Offer {
    if (object.name !== this.name) return { emissions: [], kept: false };
    return { emissions: [fire(object.session, object.scope, [object])], kept: true };
  }

  dropSession(): DataObject[] {
    return [];
  }
}
