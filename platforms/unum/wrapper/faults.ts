/**
 * Faults for tests (`--inject`): `duplicate` invokes a next function twice;
 * `crash-before-checkpoint` / `crash-after-checkpoint` / `crash-after-fan-in-check` (a
 * branch that saw its fan-in complete, before it invokes the aggregator) throw, so
 * Lambda retries the Event. An instance crashes at most once at each point and at most twice
 * in all, so Lambda's two retries always get it through.
 */
import type { SessionStore } from './session-store.ts';

export type CrashPoint = 'crash-before-checkpoint' | 'crash-after-checkpoint' | 'crash-after-fan-in-check';

/** Lambda makes three attempts of an Event invocation: two crashes leave one that gets through. */
const MAX_CRASHES_PER_INSTANCE = 2;

/** A crash a test asked for: the invocation fails, the session does not. */
export class InjectedCrash extends Error {}

export class Faults {
  private readonly probabilities: Readonly<Record<string, number>>;
  private readonly store: SessionStore;
  private readonly instance: string;

  constructor(probabilities: Readonly<Record<string, number>>, store: SessionStore, instance: string) {
    this.probabilities = probabilities;
    this.store = store;
    this.instance = instance;
  }

  async maybeCrash(point: CrashPoint): Promise<void> {
    const p = this.probabilities[point] ?? 0;
    if (p <= 0 || Math.random() >= p) return;
    // Once per point, and at most twice per instance: Lambda's two retries always get the instance through.
    if (!(await this.store.markCrash(this.instance, point, MAX_CRASHES_PER_INSTANCE))) return;
    await this.store.count(point);
    throw new InjectedCrash(`injected ${point} in ${this.instance}`);
  }

  /** How many times to send one invoke: twice with the `duplicate` probability. */
  async copies(): Promise<1 | 2> {
    if (Math.random() >= (this.probabilities['duplicate'] ?? 0)) return 1;
    await this.store.count('duplicatesInjected');
    return 2;
  }
}
