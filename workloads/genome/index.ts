/**
 * 1000-genome (SeBS-Flow's 6100.1000-genome, after the Pegasus workflow): per part of one
 * chromosome's VCF, which samples carry which variants; merged; the sites' SIFT scores;
 * then per super population the variants' frequencies and the overlap of deleterious
 * mutations. Its functions move their data through `ctx.storage` and `ctx.nosql`, not
 * payloads, so a cell's storageUs and storageIo show what that costs on each platform.
 */
import type { DagTask, ParamValues, StorageSpec, Value, Workload } from '../../harness/model/index.ts';
import { isRecord } from '../../harness/model/value.ts';
import { genomeFiles, POPULATIONS, type GenomeFiles, type GenomeShape } from './data.ts';
import { DELETERIOUS_BELOW, frequencyOf, membersOf, mergeMutations, mutationsOf, overlapOf, siftScores } from './analysis.ts';

const SEED = 0x1000_6e;

const shapeOf = (p: ParamValues): GenomeShape => ({
  individuals: p['individuals']!,
  variants: p['variants']!,
  parts: p['parts']!,
  populations: p['populations']!,
});

/**
 * The files for a cell's params, made once: graph, storage and every run's verify need them,
 * and at the largest sizes they take seconds to generate. One cell's worth is kept.
 */
let last: { readonly shape: string; readonly files: GenomeFiles } | undefined;
function filesFor(params: ParamValues): GenomeFiles {
  const shape = JSON.stringify(shapeOf(params));
  if (last?.shape !== shape) last = { shape, files: genomeFiles(shapeOf(params), SEED) };
  return last.files;
}

const encoder = new TextEncoder();

export const genome: Workload = {
  name: '1000-genome',
  description:
    "1000-genome (SeBS-Flow 6100): individuals per VCF part, merge, sifting, then frequency and mutation overlap per population; data through the functions' own storage",
  params: {
    individuals: { description: 'samples (VCF genotype columns)', default: 48, min: 2, max: 2504, integer: true },
    variants: { description: 'variants (VCF lines) of the chromosome', default: 400, min: 1, max: 100_000, integer: true },
    parts: { description: 'parts the VCF is split into: one individuals function each', default: 4, min: 1, max: 300, integer: true },
    populations: {
      description: 'super populations analysed: one frequency and one mutation_overlap function each',
      default: 5,
      min: 1,
      max: POPULATIONS.length,
      integer: true,
    },
  },
  functionsUrl: new URL('./functions.ts', import.meta.url).href,
  graph(params) {
    const files = filesFor(params);
    const individuals: DagTask[] = files.partKeys.map((part, index) => ({
      id: `individuals-${index}`,
      fn: 'individuals',
      after: [],
      args: { part, index, columns: files.columnsKey },
    }));
    const perPopulation = Object.entries(files.populationKeys).flatMap(([population, members]): DagTask[] =>
      (['frequency', 'mutation_overlap'] as const).map((fn) => ({
        id: `${fn}-${population}`,
        fn,
        after: ['individuals_merge', 'sifting'],
        args: { population, members },
      })),
    );
    return {
      kind: 'dag',
      tasks: [
        ...individuals,
        { id: 'sifting', fn: 'sifting', after: [], args: { sites: files.siftingKey } },
        { id: 'individuals_merge', fn: 'individuals_merge', after: individuals.map((t) => t.id) },
        ...perPopulation,
      ],
    };
  },
  input: () => ({ chromosome: '21' }),
  storage(params): StorageSpec {
    const files = filesFor(params);
    return { objects: Object.fromEntries(Object.entries(files.objects).map(([key, body]) => [key, encoder.encode(body)])), tables: ['sift', 'overlap'] };
  },
  // The VCF, its parsed form and the merged mutations, in storage and in the functions at once.
  dataBytes: ({ individuals, variants }) => 3 * variants! * (80 + 4 * individuals!),
  verify(output, _input, params) {
    if (!isRecord(output)) return { ok: false, reason: 'output is not the DAG sinks by id' };
    const files = filesFor(params);
    const columns = files.objects[files.columnsKey]!;
    const merged = mergeMutations(files.partKeys.map((key) => mutationsOf(files.objects[key]!, columns)));
    const scores = siftScores(files.objects[files.siftingKey]!);
    const deleterious = new Set(scores.filter((s) => s.score < DELETERIOUS_BELOW).map((s) => s.rs));
    for (const [population, key] of Object.entries(files.populationKeys)) {
      const members = membersOf(files.objects[key]!);
      const want: Record<string, Value> = {
        [`frequency-${population}`]: frequencyOf(population, merged, members, scores) as unknown as Value,
        [`mutation_overlap-${population}`]: overlapOf(population, merged, members, deleterious) as unknown as Value,
      };
      for (const [id, expected] of Object.entries(want))
        if (JSON.stringify(output[id]) !== JSON.stringify(expected))
          return { ok: false, reason: `${id}: ${JSON.stringify(output[id])?.slice(0, 200)}, expected ${JSON.stringify(expected).slice(0, 200)}` };
    }
    const extra = Object.keys(output).filter((id) => !/^(frequency|mutation_overlap)-/.test(id));
    if (extra.length > 0) return { ok: false, reason: `unexpected sinks: ${extra.join(', ')}` };
    return { ok: true };
  },
};
