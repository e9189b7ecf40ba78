/**
 * A deployment's removal, every part tried, and what could not be removed reported (not
 * swallowed): the run's cell says so, and `baton cleanup` finds what was left. A resource
 * that is already gone is removed.
 */
export class Removals {
  private readonly failures: string[] = [];

  /** Runs one removal; a failure is noted, so the rest still run. */
  async attempt(what: string, removal: () => Promise<unknown>): Promise<void> {
    try {
      await removal();
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'ResourceNotFoundException' || name === 'StateMachineDoesNotExist' || name === 'NoSuchBucket') return;
      this.failures.push(`${what}: ${(error as Error).message}`);
    }
  }

  /** Throws once, naming everything that was left. */
  done(): void {
    if (this.failures.length > 0) throw new Error(`could not remove ${this.failures.length} resource(s): ${this.failures.join('; ')}`);
  }
}
