import type { DataObject } from '../data-object.ts';

/** Inputs for one firing of an action, and the scope its outputs belong to. */
export interface Firing {
  readonly session: string;
  readonly scope: readonly string[];
  readonly inputs: readonly DataObject[];
}

/**
 * A trigger watches one bucket and decides when objects fire its action, and with
 * which inputs. Its state is per session; the node drops it when a session ends.
 */
export interface Trigger {
  /** An object arrived; returns the input lists to fire now (often none). */
  offer(object: DataObject): Firing[];
  dropSession(session: string): void;
}

/** A trigger whose group size is announced at run time by a `split`. */
export interface CountedTrigger extends Trigger {
  /** A split under `scope` produced `count` objects, each under `scope` + index. */
  expect(session: string, scope: readonly string[], count: number): Firing[];
}

/** Groups keyed by session; lets triggers drop a whole session at once. */
export class SessionGroups<G> {
  private readonly bySession = new Map<string, Map<string, G>>();

  get(session: string, key: string, create: () => G): G {
    let groups = this.bySession.get(session);
    if (!groups) this.bySession.set(session, (groups = new Map()));
    let group = groups.get(key);
    if (!group) groups.set(key, (group = create()));
    return group;
  }

  delete(session: string, key: string): void {
    this.bySession.get(session)?.delete(key);
  }

  dropSession(session: string): void {
    this.bySession.delete(session);
  }
}
