/**
 * Provenance compared without invocation ids (each platform makes its own): every
 * invocation is named by its lineage, `fn(lineage of each parent, sorted)`, so two
 * traces agree when they made the same calls with the same parent edges, however the
 * platform numbered them. An adapter that keeps only the first parent of a join, or
 * loses the parents inside a branch, gives other lineages.
 */
export interface CallEdges {
  readonly id: string;
  readonly fn: string;
  readonly parents: readonly string[];
}

/** Each call's lineage, by id. A parent the calls do not hold is `?`. */
export function lineageById(calls: readonly CallEdges[]): Map<string, string> {
  const byId = new Map(calls.map((c) => [c.id, c]));
  const memo = new Map<string, string>();
  const lineageOf = (id: string, path: ReadonlySet<string>): string => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const call = byId.get(id);
    if (!call) return '?';
    if (path.has(id)) return `${call.fn}(cycle)`;
    const inner = new Set(path).add(id);
    const parents = call.parents.map((p) => lineageOf(p, inner)).sort();
    const lineage = parents.length === 0 ? call.fn : `${call.fn}(${parents.join(',')})`;
    memo.set(id, lineage);
    return lineage;
  };
  return new Map(calls.map((c) => [c.id, lineageOf(c.id, new Set())]));
}

/** The lineage of every call, sorted: equal arrays mean equal provenance. */
export function lineages(calls: readonly CallEdges[]): string[] {
  return [...lineageById(calls).values()].sort();
}

/**
 * What an adapter's trace gets wrong about provenance, against the oracle's run: every
 * call the output depends on must be there with the oracle's lineage, and nothing may be
 * there that the oracle did not call. (Only `firstOf` makes calls that the output does not
 * depend on, the branches that lost; a platform may or may not record them.)
 */
export function provenanceProblems(
  trace: readonly CallEdges[],
  oracle: { readonly calls: readonly CallEdges[]; readonly outputFrom: readonly string[] },
): string[] {
  const parentsOf = new Map(oracle.calls.map((c) => [c.id, c.parents]));
  const needed = new Set<string>();
  const visit = (id: string): void => {
    if (needed.has(id)) return;
    needed.add(id);
    for (const p of parentsOf.get(id) ?? []) visit(p);
  };
  oracle.outputFrom.forEach(visit);
  const oracleLineages = lineageById(oracle.calls);
  const required = [...oracleLineages].filter(([id]) => needed.has(id)).map(([, l]) => l);
  const seen = lineages(trace);
  return [
    ...multisetMinus(required, seen).map((l) => `missing: ${l}`),
    ...multisetMinus(seen, [...oracleLineages.values()]).map((l) => `not called by the oracle: ${l}`),
  ];
}

/** The elements of `a` left after removing one occurrence per element of `b`. */
function multisetMinus(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  return a
    .filter((x) => {
      const n = counts.get(x) ?? 0;
      if (n === 0) return true;
      counts.set(x, n - 1);
      return false;
    })
    .sort();
}
