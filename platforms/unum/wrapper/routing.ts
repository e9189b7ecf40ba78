/**
 * Where an instance's output goes, from its IR node alone (Unum has no orchestrator):
 * which `Next` entries a choice takes, and for a fan-in, which aggregator instance it
 * feeds, which branch this is, and whose checkpoints the aggregator's input is.
 */
import { decodeValue, holds } from '../../../harness/model/index.ts';
import { instanceName, type NextEntry, type UnumConfig } from '../ir.ts';
import type { Fanout } from './payload.ts';

/** The entries taken: all of them, or those whose condition holds for the output. */
export function takenEntries(config: UnumConfig, output: unknown, me: string): readonly NextEntry[] {
  const next = config.Next ?? [];
  const value = decodeValue(output);
  const taken = next.filter((n) => !n.When || (n.When.all.every((c) => holds(c, value)) && !n.When.none.some((c) => holds(c, value))));
  if (next.some((n) => n.When) && taken.length === 0) throw new Error(`${me}: no case of the choice matched and there is no otherwise`);
  return taken;
}

export interface FanIn {
  /** The aggregator instance. */
  readonly target: string;
  /** This branch's index among `size`. */
  readonly index: number;
  readonly size: number;
  /** The fan-out indexes the aggregator sits under. */
  readonly outer: readonly Fanout[];
  /** The branch instances whose checkpoints make the aggregator's input, in order. */
  readonly branches: readonly string[];
  /** Fan-in by name (a DAG node's parents) rather than by index (a fan-out's branches). */
  readonly named: boolean;
}

export function fanInOf(config: UnumConfig, fanout: readonly Fanout[], aggregator: string, values: readonly string[]): FanIn {
  // By index (the branches of a fan-out: X-unumIndex-*) or by name (a DAG node's parents).
  const named = !values.some((v) => v.endsWith('-unumIndex-*'));
  const branch = named ? { Index: values.indexOf(config.Name), Size: values.length } : fanout.at(-1)!;
  const outer = named ? fanout : fanout.slice(0, -1);
  const indexes = outer.map((f) => f.Index);
  const branches = Array.from({ length: branch.Size }, (_, i) => {
    if (named) return instanceName(values[i]!, indexes);
    const pattern = values.length === 1 ? values[0]! : values[i]!;
    return instanceName(pattern.replace(/-unumIndex-\*$/, ''), [...indexes, i]);
  });
  return { target: instanceName(aggregator, indexes), index: branch.Index, size: branch.Size, outer, branches, named };
}

/** The join after the fan-out to `name`: an empty Map fans nothing in, so its join is invoked at once. */
export function joinAfter(configs: Readonly<Record<string, UnumConfig>>, name: string, me: string): string {
  for (const c of Object.values(configs)) {
    if (c.Name !== name) continue;
    const fanin = c.Next?.find((n) => typeof n.InputType === 'object');
    if (fanin) return fanin.Name;
  }
  throw new Error(`${me}: cannot find the join after '${name}'`);
}
