/**
 * The 1000-genome functions: each reads its files from `ctx.storage`, writes what it
 * produced back, and passes on only keys and small summaries, as SeBS-Flow's 6100.1000-genome
 * does. Sifting also writes every scored site to `ctx.nosql`, which mutation_overlap queries.
 */
import type { FunctionContext, FunctionsModule, NoSqlStorage, ObjectStorage, Value } from '../../harness/model/index.ts';
import { CHROMOSOME } from './data.ts';
import { DELETERIOUS_BELOW, frequencyOf, membersOf, mergeMutations, mutationsOf, overlapOf, siftScores, type Mutations, type SiftScore } from './analysis.ts';

interface DagInput<A> {
  readonly args: A;
  readonly inputs: Readonly<Record<string, Value>>;
}

const text = new TextDecoder();
const bytes = new TextEncoder();

function stores(ctx: FunctionContext): { storage: ObjectStorage; nosql: NoSqlStorage } {
  if (!ctx.storage || !ctx.nosql) throw new Error('1000-genome needs ctx.storage and ctx.nosql: this platform gave the function none');
  return { storage: ctx.storage, nosql: ctx.nosql };
}

/** A key of this invocation's own: a retried invocation keeps its id and so rewrites the same object. */
const ownKey = (folder: string, ctx: FunctionContext): string => `work/${folder}/${ctx.invocationId.replace(/[^A-Za-z0-9._-]/g, '-')}`;

const readText = async (storage: ObjectStorage, key: string): Promise<string> => text.decode(await storage.get(key));
const readJson = async <T>(storage: ObjectStorage, key: string): Promise<T> => JSON.parse(await readText(storage, key)) as T;
const writeJson = (storage: ObjectStorage, key: string, value: unknown): Promise<void> => storage.put(key, bytes.encode(JSON.stringify(value)));

/** At most this many storage calls of one function in flight, as a client's connection pool allows. */
const IN_FLIGHT = 16;

async function inBatches<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += IN_FLIGHT) await Promise.all(items.slice(i, i + IN_FLIGHT).map(each));
}

export const functions: FunctionsModule['functions'] = {
  individuals: async (input, ctx) => {
    const { storage } = stores(ctx);
    const { args } = input as unknown as DagInput<{ part: string; index: number; columns: string }>;
    const [part, columns] = await Promise.all([readText(storage, args.part), readText(storage, args.columns)]);
    const mutations = mutationsOf(part, columns);
    const key = `${ownKey('individuals', ctx)}.json`;
    await writeJson(storage, key, mutations);
    return { key, index: args.index, mutations: Object.values(mutations).reduce((n, ids) => n + ids.length, 0) };
  },

  individuals_merge: async (input, ctx) => {
    const { storage } = stores(ctx);
    const parts = Object.values((input as unknown as DagInput<unknown>).inputs) as unknown as { key: string; index: number }[];
    parts.sort((a, b) => a.index - b.index);
    const merged = mergeMutations(await Promise.all(parts.map((p) => readJson<Mutations>(storage, p.key))));
    const key = `${ownKey('merged', ctx)}.json`;
    await writeJson(storage, key, merged);
    return { key, individuals: Object.keys(merged).length };
  },

  sifting: async (input, ctx) => {
    const { storage, nosql } = stores(ctx);
    const { args } = input as unknown as DagInput<{ sites: string }>;
    const scores = siftScores(await readText(storage, args.sites));
    const key = `${ownKey('sifted', ctx)}.tsv`;
    await storage.put(key, bytes.encode(scores.map((s) => `${s.rs}\t${s.score}\t${s.effect}\n`).join('')));
    await inBatches(scores, (s) => nosql.put('sift', { partition: `chr${CHROMOSOME}`, sort: s.rs }, { score: s.score, effect: s.effect }));
    return { key, scored: scores.length };
  },

  frequency: async (input, ctx) => {
    const { storage } = stores(ctx);
    const { args, inputs } = input as unknown as DagInput<{ population: string; members: string }>;
    const [merged, members, sifted] = await Promise.all([
      readJson<Mutations>(storage, (inputs['individuals_merge'] as { key: string }).key),
      readText(storage, args.members),
      readText(storage, (inputs['sifting'] as { key: string }).key),
    ]);
    const scores: SiftScore[] = sifted
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [rs, score, effect] = l.split('\t');
        return { rs: rs!, score: Number(score), effect: effect! };
      });
    const frequency = frequencyOf(args.population, merged, membersOf(members), scores);
    await writeJson(storage, `${ownKey(`frequency/${args.population}`, ctx)}.json`, frequency);
    return frequency as unknown as Value;
  },

  mutation_overlap: async (input, ctx) => {
    const { storage, nosql } = stores(ctx);
    const { args, inputs } = input as unknown as DagInput<{ population: string; members: string }>;
    const [merged, members, sites] = await Promise.all([
      readJson<Mutations>(storage, (inputs['individuals_merge'] as { key: string }).key),
      readText(storage, args.members),
      nosql.query('sift', `chr${CHROMOSOME}`),
    ]);
    const deleterious = new Set(sites.filter((s) => Number(s.item['score']) < DELETERIOUS_BELOW).map((s) => s.sort));
    const overlap = overlapOf(args.population, merged, membersOf(members), deleterious);
    await nosql.put('overlap', { partition: args.population, sort: 'summary' }, { ...overlap });
    const stored = await nosql.get('overlap', { partition: args.population, sort: 'summary' });
    if (stored?.['overlapPairs'] !== overlap.overlapPairs) throw new Error(`overlap: the item read back is not the one written (${JSON.stringify(stored)})`);
    return overlap as unknown as Value;
  },
};
