/**
 * An application, written directly against data buckets and triggers (after Pheromone).
 *
 * Objects in a bucket are immutable and carry a *scope*: a path of segments naming
 * the fan-out instance they belong to. `fork` and `split` push a segment; the join
 * triggers (`bySet`, `dynamicJoin`) group objects by their parent scope and pop it.
 */

export type TriggerSpec =
  /** Fire once per object. */
  | { readonly primitive: 'immediate'; readonly bucket: string; readonly action: Action }
  /** Fire once all of `set` (the last scope segments) are present for a parent scope. */
  | { readonly primitive: 'bySet'; readonly bucket: string; readonly set: readonly string[]; readonly action: Action }
  /** Fire once as many objects as a `split` announced for that parent scope are present. */
  | { readonly primitive: 'dynamicJoin'; readonly bucket: string; readonly action: Action };

export type Action =
  /** Run a function; its output goes to every bucket in `to`. Several inputs arrive as an array. */
  | { readonly kind: 'call'; readonly fn: string; readonly to: readonly string[] }
  /** Send the input to `to[i]` under scope + i: a static fan-out. */
  | { readonly kind: 'fork'; readonly to: readonly string[] }
  /** Send item i of an array input to `to` under scope + i, and tell `join` how many to expect. */
  | { readonly kind: 'split'; readonly to: string; readonly join: string }
  /** Make one array object of the (ordered) inputs. */
  | { readonly kind: 'gather'; readonly to: readonly string[] };

export interface AppSpec {
  readonly name: string;
  /** URL of a module exporting `functions: Record<string, (input, ctx) => output>`. */
  readonly functionsUrl: string;
  readonly buckets: readonly string[];
  readonly triggers: readonly TriggerSpec[];
  /** Where `invoke` puts the workflow input. */
  readonly entry: string;
  /** The first object to arrive here completes the session with its value. */
  readonly result: string;
}

/** Checks that every bucket named is declared; returns the problems, empty if none. */
export function appProblems(app: AppSpec): string[] {
  const buckets = new Set(app.buckets);
  const problems: string[] = [];
  const need = (bucket: string, where: string): void => {
    if (!buckets.has(bucket)) problems.push(`${where} names bucket '${bucket}', which is not declared`);
  };
  need(app.entry, 'entry');
  need(app.result, 'result');
  app.triggers.forEach((trigger, i) => {
    const where = `triggers[${i}]`;
    need(trigger.bucket, where);
    const action = trigger.action;
    const targets = action.kind === 'split' ? [action.to, action.join] : action.to;
    for (const target of targets) need(target, `${where}.action`);
    if (action.kind === 'split' && !app.triggers.some((t) => t.bucket === action.join && t.primitive === 'dynamicJoin')) {
      problems.push(`${where}.action.join: bucket '${action.join}' has no dynamicJoin trigger`);
    }
  });
  return problems;
}
