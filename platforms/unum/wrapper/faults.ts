/**
 * Faults for tests (`--inject`): `duplicate` invokes a next function twice;
 * `crash-before-checkpoint` / `crash-after-checkpoint` throw, so Lambda retries the
 * Event. An instance crashes at most once at each point, so Lambda's retries get through.
 */
import type { SessionStore } from './session-store.ts';

export type CrashPoint = 'crash-before-checkpoint' | 'crash-after-checkpoint';

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
    if (!(await this.store.markOnce(`crash/${point}/${this.instance}`))) return;
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
