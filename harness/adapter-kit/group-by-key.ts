/**
 * A shuffle's grouping, written once: mapper outputs `{ groupKey: value }` become
 * `[{ key, values, from }]`, keys sorted, values in mapper order, `from` the producers
 * of each group's values (for the reducers' parents). Linear in the number of values.
 */
export interface Grouped<P> {
  readonly key: string;
  readonly values: unknown[];
  /** The producers of the values in this group, each once, in mapper order. */
  readonly from: P[];
}

export function groupByKey<P = never>(mapped: readonly unknown[], producersOf: (index: number) => readonly P[] = () => []): Grouped<P>[] {
  const groups = new Map<string, { values: unknown[]; from: Set<P> }>();
  mapped.forEach((out, index) => {
    if (typeof out !== 'object' || out === null || Array.isArray(out)) throw new Error('shuffle: a mapper must return an object of { groupKey: value }');
    const producers = producersOf(index);
    for (const [key, value] of Object.entries(out)) {
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { values: [], from: new Set() }));
      group.values.push(value);
      for (const p of producers) group.from.add(p);
    }
  });
  return [...groups.keys()].sort().map((key) => {
    const group = groups.get(key)!;
    return { key, values: group.values, from: [...group.from] };
  });
}
