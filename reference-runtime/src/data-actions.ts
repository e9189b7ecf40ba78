/**
 * The actions that move data without running a function (`forward`, `fork`, `split`,
 * `gather`, `label`), as a plan: which objects to put where, and which count to announce
 * to a join. The node carries the plan out; the store's reference counts stay its concern.
 */
import type { Action, Target } from './app.ts';
import { holds } from './conditions.ts';
import type { DataObject } from './data-object.ts';
import type { RuntimeValue } from './value.ts';

export type DataAction = Exclude<Action, { kind: 'call' | 'iterate' | 'try' }>;

export interface Put {
  readonly target: Target;
  readonly scope: readonly string[];
  readonly value: RuntimeValue;
  readonly producers: readonly string[];
  readonly name?: string;
}

export interface DataPlan {
  readonly puts: readonly Put[];
  /** A split tells its join how many items to wait for. */
  readonly announce?: { readonly bucket: string; readonly scope: readonly string[]; readonly count: number };
}

/** `value` and `producers` are the firing's (one input's, or all inputs' together). */
export function planDataAction(
  action: DataAction,
  scope: readonly string[],
  value: RuntimeValue,
  inputs: readonly DataObject[],
  producers: readonly string[],
): DataPlan {
  const to = (targets: readonly Target[], v: RuntimeValue, name?: string): Put[] =>
    targets.map((target) => ({ target, scope, value: v, producers, ...(name === undefined ? {} : { name }) }));
  switch (action.kind) {
    case 'forward':
      return { puts: to(action.to, value) };
    case 'fork':
      return { puts: action.to.map((target, i) => ({ target, scope: [...scope, String(i)], value, producers })) };
    case 'split': {
      if (!Array.isArray(value)) throw new Error(`split: input is ${value === null ? 'null' : typeof value}, expected an array`);
      const items = value as readonly RuntimeValue[];
      return {
        puts: items.map((item, i) => ({ target: action.to, scope: [...scope, String(i)], value: item, producers })),
        announce: { bucket: action.join, scope, count: items.length },
      };
    }
    case 'gather': {
      let gathered: RuntimeValue = action.shape === 'record' ? Object.fromEntries(inputs.map((o) => [o.name, o.value])) : inputs.map((o) => o.value);
      if (action.wrap) gathered = { ...(action.wrap.with as Record<string, RuntimeValue>), [action.wrap.field]: gathered };
      return { puts: to(action.to, gathered) };
    }
    case 'label': {
      const name = action.cases.find((c) => holds(c.when, value))?.name ?? action.otherwise;
      if (name === undefined) throw new Error('label: no case matched and there is no otherwise');
      return { puts: to(action.to, value, name) };
    }
  }
}
