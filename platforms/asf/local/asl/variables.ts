/**
 * Workflow variables (`Assign`, read as `$name`). A Map iteration or Parallel branch reads
 * the variables of the states around it and keeps what it assigns to itself.
 */
import type { Json } from './json.ts';

export class Variables {
  private readonly own = new Map<string, Json>();
  private readonly parent: Variables | undefined;

  constructor(parent?: Variables) {
    this.parent = parent;
  }

  lookup(name: string): { found: boolean; value: Json } {
    if (this.own.has(name)) return { found: true, value: this.own.get(name)! };
    return this.parent ? this.parent.lookup(name) : { found: false, value: null };
  }

  assign(values: Record<string, Json>): void {
    for (const [name, value] of Object.entries(values)) this.own.set(name, value);
  }

  /** Every visible variable, inner names over outer ones: JSONata expressions get them as bindings. */
  all(): Record<string, Json> {
    const outer = this.parent ? this.parent.all() : {};
    return { ...outer, ...Object.fromEntries(this.own) };
  }

  child(): Variables {
    return new Variables(this);
  }
}
