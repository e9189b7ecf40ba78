import type { DataObject } from '../data-object.ts';
import type { RuntimeValue } from '../value.ts';

/** Inputs for one firing of an action, and the scope its outputs belong to. */
export interface Firing {
  readonly session: string;
  readonly scope: readonly string[];
  /** The objects consumed; each carries one hold that the firing now owns. */
  readonly inputs: readonly DataObject[];
  /**
   * The action's input when it is not simply the input objects' values (windows,
   * groups). The node takes its own hold on the allocations it refers to.
   */
  readonly value?: RuntimeValue;
  /** Invocations the firing's value derives from, when it has no input objects (groups). */
  readonly parents?: readonly string[];
}

export type Emission =
  | { readonly type: 'fire'; readonly firing: Firing }
  /** A trigger that fans out (windows, groups) says how many firings a scope got in all. */
  | { readonly type: 'total'; readonly session: string; readonly scope: readonly string[]; readonly count: number }
  /** Objects the trigger has used up without handing them to a firing: their holds can go. */
  | { readonly type: 'consumed'; readonly objects: readonly DataObject[] };

export interface Offer {
  readonly emissions: readonly Emission[];
  /** The trigger keeps (or has fired) the object, and so needs a hold on it. */
  readonly kept: boolean;
}

/**
 * A trigger watches one bucket and decides when objects fire its action, and with
 * which inputs. Its state is per session; the node drops it when a session ends.
 */
export interface Trigger {
  offer(object: DataObject): Offer;
  /** Forgets a session; returns the objects it still held, so their holds can be released. */
  dropSession(session: string): DataObject[];
}

/** A trigger told at run time how many objects a scope will get (by a `split`). */
export interface CountedTrigger extends Trigger {
  expect(session: string, scope: readonly string[], count: number): Emission[];
}

export function isCounted(trigger: Trigger): trigger is CountedTrigger {
  return 'expect' in trigger;
}

export const fire = (
  session: string,
  scope: readonly string[],
  inputs: readonly DataObject[],
  value?: RuntimeValue,
  parents?: readonly string[],
): Emission => ({ type: 'fire', firing: { session, scope, inputs, ...(value === undefined ? {} : { value }), ...(parents ? { parents } : {}) } });

/** Per-session, per-scope state, so a whole session can be dropped at once. */
export class ScopedState<G> {
  private readonly bySession = new Map<string, Map<string, G>>();

  get(session: string, scope: readonly string[], create: () => G): G {
    let groups = this.bySession.get(session);
    if (!groups) this.bySession.set(session, (groups = new Map()));
    const key = scope.join('/');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = create()));
    return group;
  }

  delete(session: string, scope: readonly string[]): void {
    this.bySession.get(session)?.delete(scope.join('/'));
  }

  /** Removes the session; returns its groups. */
  dropSession(session: string): G[] {
    const groups = this.bySession.get(session);
    this.bySession.delete(session);
    return groups ? [...groups.values()] : [];
  }
}
