/**
 * The 1000-genome analyses, as pure functions of file contents: the workflow's functions
 * run them on what they read from storage, and `verify` runs them on the generated files.
 * After the Pegasus workflow's steps (individuals, individuals_merge, sifting,
 * mutation_overlap, frequency), reduced to what can be checked exactly.
 */
import { FIXED_COLUMNS } from './data.ts';

/** rs ids per sample. */
export type Mutations = Record<string, string[]>;

/**
 * The individuals step: per sample, the variants on which it carries the minor allele on
 * its first chromosome (the reference allele where AF >= 0.5, the alternate below).
 */
export function mutationsOf(part: string, columns: string): Mutations {
  const names = columns.trimEnd().split('\t').slice(FIXED_COLUMNS.length);
  const found: Mutations = Object.fromEntries(names.map((n) => [n, [] as string[]]));
  for (const line of part.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split('\t');
    const af = Number(/(?:^|;)AF=([^;,]+)/.exec(fields[7] ?? '')?.[1]);
    if (!Number.isFinite(af)) continue;
    const minor = af >= 0.5 ? '0' : '1';
    names.forEach((name, i) => {
      if (fields[FIXED_COLUMNS.length + i]?.[0] === minor) found[name]!.push(fields[2]!);
    });
  }
  return found;
}

/** The merge step: every part's mutations per sample, in part order. */
export function mergeMutations(parts: readonly Mutations[]): Mutations {
  const merged: Mutations = {};
  for (const part of parts) for (const [name, ids] of Object.entries(part)) (merged[name] ??= []).push(...ids);
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export interface SiftScore {
  readonly rs: string;
  readonly score: number;
  readonly effect: string;
}

/** The sifting step: every site with a SIFT prediction. */
export function siftScores(sites: string): SiftScore[] {
  const scores: SiftScore[] = [];
  for (const line of sites.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split('\t');
    const sift = /SIFT=([a-z_]+)\(([0-9.]+)\)/.exec(fields[7] ?? '');
    if (sift) scores.push({ rs: fields[2]!, effect: sift[1]!, score: Number(sift[2]) });
  }
  return scores;
}

export const DELETERIOUS_BELOW = 0.05;

export function membersOf(populationFile: string): string[] {
  return populationFile.split('\n').filter((n) => n !== '');
}

export interface Frequency {
  readonly population: string;
  readonly members: number;
  /** Scored variants by the share of members carrying them: [0], (0, 0.1], ..., (0.9, 1]. */
  readonly histogram: number[];
  /** The five scored variants most members carry (ties: by rs id). */
  readonly top: string[];
}

/** The frequency step: how common each scored variant is in a population. */
export function frequencyOf(population: string, merged: Mutations, members: readonly string[], scores: readonly SiftScore[]): Frequency {
  const carriers = new Map<string, number>();
  for (const name of members) for (const rs of merged[name] ?? []) carriers.set(rs, (carriers.get(rs) ?? 0) + 1);
  const histogram = new Array<number>(11).fill(0);
  for (const { rs } of scores) {
    const share = members.length === 0 ? 0 : (carriers.get(rs) ?? 0) / members.length;
    histogram[share === 0 ? 0 : Math.min(10, Math.ceil(share * 10))]!++;
  }
  const top = scores
    .map(({ rs }) => ({ rs, n: carriers.get(rs) ?? 0 }))
    .filter((v) => v.n > 0)
    .sort((a, b) => b.n - a.n || (a.rs < b.rs ? -1 : 1))
    .slice(0, 5)
    .map((v) => v.rs);
  return { population, members: members.length, histogram, top };
}

export interface Overlap {
  readonly population: string;
  readonly members: number;
  readonly deleterious: number;
  /** Members carrying at least one deleterious variant. */
  readonly carriers: number;
  /** Pairs of members that share at least one deleterious variant. */
  readonly overlapPairs: number;
}

/** The mutation-overlap step: how deleterious variants are shared within a population. */
export function overlapOf(population: string, merged: Mutations, members: readonly string[], deleterious: ReadonlySet<string>): Overlap {
  const carried = members.map((name) => new Set((merged[name] ?? []).filter((rs) => deleterious.has(rs))));
  let overlapPairs = 0;
  for (let i = 0; i < carried.length; i++) for (let j = i + 1; j < carried.length; j++) if ([...carried[i]!].some((rs) => carried[j]!.has(rs))) overlapPairs++;
  return { population, members: members.length, deleterious: deleterious.size, carriers: carried.filter((s) => s.size > 0).length, overlapPairs };
}
