/**
 * An application, written directly against data buckets and triggers (after Pheromone).
 *
 * Objects in a bucket are immutable and carry a *scope* (the fan-out instance they
 * belong to) and a *name*. `fork` and `split` push a scope segment; a target with
 * `pop` pops it back into the object's name, which is what joins match on.
 */

/** Where an action puts an object: a bucket, optionally naming the object or popping its scope. */
export type Target = string | { readonly bucket: string; readonly name?: string; readonly pop?: boolean };

export type TriggerSpec =
  /** Fire once per object. */
  | { readonly primitive: 'immediate'; readonly bucket: string; readonly action: Action }
  /** Fire once per object named `name`. */
  | { readonly primitive: 'byName'; readonly bucket: string; readonly name: string; readonly action: Action }
  /** Fire once every name of `set` is present in a scope. */
  | { readonly primitive: 'bySet'; readonly bucket: string; readonly set: readonly string[]; readonly action: Action }
  /** Fire once as many objects as a `split` announced are present in a scope. */
  | { readonly primitive: 'dynamicJoin'; readonly bucket: string; readonly action: Action }
  /** Fire with every `size` consecutive objects; `join` is told how many batches there were. */
  | { readonly primitive: 'byBatchSize'; readonly bucket: string; readonly size: number; readonly join?: string; readonly action: Action }
  /** Fire per time window (event time with `timeField`, else processing time). */
  | {
      readonly primitive: 'byTime';
      readonly bucket: string;
      readonly windowMs: number;
      readonly timeField?: string;
      readonly latenessMs?: number;
      readonly join?: string;
      readonly action: Action;
    }
  /** Fire on the first k objects of a scope; ignore the stragglers. */
  | { readonly primitive: 'redundant'; readonly bucket: string; readonly k: number; readonly action: Action }
  /** Once all producers of a scope are done, fire once per group key with `{ key, values }`. */
  | { readonly primitive: 'dynamicGroup'; readonly bucket: string; readonly join?: string; readonly action: Action };

export interface Condition {
  readonly field: string;
  readonly op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
  readonly value: string | number | boolean;
}

export type Action =
  /** Run a function; its output goes to every target. Several inputs arrive as an array. */
  | { readonly kind: 'call'; readonly fn: string; readonly to: readonly Target[] }
  /** Pass the input on unchanged. */
  | { readonly kind: 'forward'; readonly to: readonly Target[] }
  /** Send the input to `to[i]` under scope + i: a static fan-out. */
  | { readonly kind: 'fork'; readonly to: readonly Target[] }
  /** Send item i of an array input to `to` under scope + i, and tell `join`'s trigger how many. */
  | { readonly kind: 'split'; readonly to: Target; readonly join: string }
  /**
   * Make one object of the inputs: an array in order, or a record by name; `wrap`
   * puts that record under `wrap.field` of `wrap.with`.
   */
  | {
      readonly kind: 'gather';
      readonly shape?: 'array' | 'record';
      readonly wrap?: { readonly field: string; readonly with: Readonly<Record<string, unknown>> };
      readonly to: readonly Target[];
    }
  /** Name the object after the first condition that holds (else `otherwise`; else the session fails). */
  | {
      readonly kind: 'label';
      readonly cases: readonly { readonly when: Condition; readonly name: string }[];
      readonly otherwise?: string;
      readonly to: readonly Target[];
    }
  /**
   * A sequential loop in one action: input `{ items, state }`; runs `fn` on
   * `{ state, item, index }` for each item, each call fired by the previous one's output.
   */
  | { readonly kind: 'iterate'; readonly fn: string; readonly to: readonly Target[] }
  /**
   * Failure handling: run the registered app `body` on the input as a sub-session (its
   * calls join this session's trace); when a call of it fails with an error whose name
   * `retry.errors` lists, run it again after the interval, up to `retry.maxAttempts` in
   * all; then the first catch naming the error runs its app on `{ error, cause, input }`.
   * `'*'` names any error. No matching catch: the session fails with the error.
   */
  | {
      readonly kind: 'try';
      readonly body: string;
      readonly retry?: { readonly errors: readonly string[]; readonly maxAttempts: number; readonly intervalMs: number; readonly backoffRate: number };
      readonly catches: readonly { readonly errors: readonly string[]; readonly app: string }[];
      readonly to: readonly Target[];
    };

export interface AppSpec {
  readonly name: string;
  /** URL of a module exporting `functions: Record<string, (input, ctx) => output>`. */
  readonly functionsUrl: string;
  /**
   * The app's durable store (a FileStore's directory, made before the app is registered):
   * its functions get `ctx.storage` and `ctx.nosql` over it. Absent: they get neither.
   */
  readonly durableDir?: string;
  /**
   * The share of one CPU each of the app's calls is held to (0 < share < 1; absent: all of
   * it): after the function, its executor waits as long again as its compute (its time
   * minus its storage calls) would have taken longer at that share, as a Lambda function of
   * less than a full vCPU's memory runs.
   */
  readonly cpuShare?: number;
  readonly buckets: readonly string[];
  readonly triggers: readonly TriggerSpec[];
  /** Where `invoke` puts the workflow input. */
  readonly entry: string;
  /** The first object to arrive here completes the session with its value. */
  readonly result: string;
}

/** What an executor needs of an app to run its functions. */
export function codeOf(app: AppSpec): { functionsUrl: string; durableDir?: string; cpuShare?: number } {
  return {
    functionsUrl: app.functionsUrl,
    ...(app.durableDir ? { durableDir: app.durableDir } : {}),
    ...(app.cpuShare !== undefined && app.cpuShare < 1 ? { cpuShare: app.cpuShare } : {}),
  };
}

export function bucketOf(target: Target): string {
  return typeof target === 'string' ? target : target.bucket;
}

const COUNTED = new Set(['dynamicJoin', 'byBatchSize', 'byTime', 'dynamicGroup']);

/** Checks that every bucket named is declared and every count has a taker; returns the problems. */
export function appProblems(app: AppSpec): string[] {
  const buckets = new Set(app.buckets);
  const problems: string[] = [];
  const need = (bucket: string, where: string): void => {
    if (!buckets.has(bucket)) problems.push(`${where} names bucket '${bucket}', which is not declared`);
  };
  const counted = (bucket: string, where: string): void => {
    if (!app.triggers.some((t) => t.bucket === bucket && COUNTED.has(t.primitive))) {
      problems.push(`${where}: bucket '${bucket}' has no trigger that takes a count (dynamicJoin, byBatchSize, byTime, dynamicGroup)`);
    }
  };
  need(app.entry, 'entry');
  need(app.result, 'result');
  app.triggers.forEach((trigger, i) => {
    const where = `triggers[${i}]`;
    need(trigger.bucket, where);
    if ('join' in trigger && trigger.join !== undefined) {
      need(trigger.join, `${where}.join`);
      counted(trigger.join, `${where}.join`);
    }
    const action = trigger.action;
    const targets = action.kind === 'split' ? [action.to] : action.to;
    for (const target of targets) need(bucketOf(target), `${where}.action`);
    if (action.kind === 'split') {
      need(action.join, `${where}.action.join`);
      counted(action.join, `${where}.action.join`);
    }
  });
  return problems;
}
