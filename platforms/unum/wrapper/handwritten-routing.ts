/**
 * Where an instance's output goes under IR written by hand, by the rules of Unum's
 * runtime (runtime/unum.py, `run_continuation` and the continuation classes):
 *
 * - every entry's `Conditional` is read with the invoker's variables, before modifiers;
 * - the `Next Payload Modifiers` then give the fan-out every next function is invoked
 *   under (`$0=$0+1` moves to the next index, `Pop` leaves a fan-out);
 * - Scalar: the output as it is; with several Scalar entries in `Next` (taken or not),
 *   each opens a Parallel level of its own position among them;
 * - Map: one invocation per item of the output, under a new innermost level;
 * - Fan-in: the aggregator instance is named by the modified fan-out; the branches are
 *   the `Values` expanded (`$k`, `( ... )`, `*`), and this instance is the one whose name
 *   a Value starts with (for `X-unumIndex-*`, at its own index);
 * - no entry taken: this instance ends the workflow.
 */
import { instanceName, type NextEntry, type UnumConfig } from '../ir.ts';
import { applyModifiers, conditionHolds, expandName, type FanoutLevel, type Scope } from './expressions.ts';

export type Route =
  | { readonly kind: 'invoke'; readonly node: string; readonly value: unknown; readonly fanout: readonly FanoutLevel[]; readonly mapItem: boolean }
  | {
      readonly kind: 'fanin';
      readonly node: string;
      /** The aggregator instance, and the fan-out it runs under. */
      readonly target: string;
      readonly fanout: readonly FanoutLevel[];
      /** This branch's place among the branches, and the branches in Values order. */
      readonly index: number;
      readonly branches: readonly string[];
    };

function branchIndex(config: UnumConfig, values: readonly string[], scope: Scope, me: string): number {
  let index = -1;
  for (const [i, value] of values.entries()) {
    if (value !== config.Name && !value.startsWith(`${config.Name}-unumIndex-`)) continue;
    index = value.endsWith('*') ? scope.indexes[0]! : i;
  }
  if (index < 0) throw new Error(`${me}: the fan-in into its next function does not name '${config.Name}' among its Values`);
  return index;
}

export function handwrittenRoutes(config: UnumConfig, fanout: readonly FanoutLevel[], output: unknown, me: string): Route[] {
  const entries: readonly NextEntry[] = config.Next ?? [];
  const scope: Scope = { indexes: [...fanout].reverse().map((f) => f.Index), size: fanout.at(-1)?.Size, ret: output };
  const after = applyModifiers(config.Modifiers ?? [], fanout, output);
  const scalars = entries.filter((e) => e.InputType === 'Scalar');
  const routes: Route[] = [];
  for (const entry of entries) {
    if (!conditionHolds(entry.Conditional, scope)) continue;
    if (entry.InputType === 'Scalar') {
      const parallel = scalars.length > 1 ? [{ Index: scalars.indexOf(entry), Size: scalars.length }] : [];
      routes.push({ kind: 'invoke', node: entry.Name, value: output, fanout: [...after, ...parallel], mapItem: false });
    } else if (entry.InputType === 'Map') {
      if (!Array.isArray(output)) throw new Error(`${me}: a Map next needs an array output`);
      for (const [i, item] of output.entries()) {
        routes.push({ kind: 'invoke', node: entry.Name, value: item, fanout: [...after, { Index: i, Size: output.length }], mapItem: true });
      }
    } else {
      const values = entry.InputType['Fan-in'].Values;
      routes.push({
        kind: 'fanin',
        node: entry.Name,
        target: instanceName(
          entry.Name,
          after.map((f) => f.Index),
        ),
        fanout: after,
        index: branchIndex(config, values, scope, me),
        branches: values.flatMap((v) => expandName(v, scope)),
      });
    }
  }
  return routes;
}
