import { afterAll, describe, expect, it } from 'vitest';
import { InlineAdapter } from '../../platforms/inline/adapter.ts';
import { ReferenceAdapter } from '../../platforms/reference/adapter.ts';
import { AsfAdapter } from '../../platforms/asf/adapter.ts';
import { UnumAdapter } from '../../platforms/unum/adapter.ts';
import { DurableAdapter } from '../../platforms/durable/adapter.ts';
import { genome } from './index.ts';
import { genomeFiles } from './data.ts';
import { mutationsOf, siftScores } from './analysis.ts';
import type { Deployment, ParamValues, PlatformAdapter, Value } from '../../harness/model/index.ts';

const params: ParamValues = { individuals: 12, variants: 120, parts: 3, populations: 3 };

/** Every platform that offers storage for functions, each with its own backend (the AWS ones on their local stand-ins). */
const platforms: PlatformAdapter<Deployment>[] = [
  new InlineAdapter(),
  new ReferenceAdapter({ executors: 2 }),
  new AsfAdapter(),
  new UnumAdapter(),
  new DurableAdapter(),
];
/** What the AWS adapters bill the storage calls of one run for, by the functions' counts (per the workload's code). */
const AWS_STORAGE_LINES = ['aws.s3.putRequest', 'aws.s3.getRequest', 'aws.dynamodb.readRequestUnit', 'aws.dynamodb.writeRequestUnit'];
afterAll(() => Promise.all(platforms.map((p) => p.close?.())));

describe('1000-genome', () => {
  it.each(platforms.map((p) => [p.name, p] as const))(
    'runs on %s through its storage, and every function records its storage calls',
    async (_name, adapter) => {
      const storage = genome.storage!(params);
      const deployment = await adapter.deploy(
        { name: genome.name, graph: genome.graph(params), functionsUrl: genome.functionsUrl, storage },
        { target: 'local' },
      );
      const input = genome.input(params);
      const execution = await adapter.run(deployment, input, { cold: false, faults: {} });
      expect(await genome.verify(execution.output, input, params)).toEqual({ ok: true });
      const byFn = new Map(execution.trace.invocations.map((inv) => [inv.fn, inv.storage]));
      expect(execution.trace.invocations).toHaveLength(3 + 1 + 1 + 2 * 3);
      expect(byFn.get('individuals')).toMatchObject({ objectGets: 2, objectPuts: 1 });
      const sites = siftScores(new TextDecoder().decode(storage.objects['input/ALL.chr21.sites.annotation.vcf']!));
      expect(byFn.get('sifting')).toMatchObject({ objectGets: 1, objectPuts: 1, itemPuts: sites.length });
      expect(byFn.get('mutation_overlap')).toMatchObject({ itemQueries: 1, itemsRead: sites.length, itemPuts: 1, itemGets: 1 });
      for (const inv of execution.trace.invocations) expect(inv.storage!.us).toBeGreaterThan(0);
      if (adapter.name === 'asf') {
        // Step Functions bills nothing of S3 or DynamoDB itself: every such line is the functions' storage.
        const puts = execution.trace.invocations.reduce((n, inv) => n + inv.storage!.objectPuts, 0);
        const gets = execution.trace.invocations.reduce((n, inv) => n + inv.storage!.objectGets, 0);
        expect(execution.usage).toMatchObject({ 'aws.s3.putRequest': puts, 'aws.s3.getRequest': gets });
        expect(execution.usage!['aws.dynamodb.writeRequestUnit']).toBeGreaterThanOrEqual(sites.length + 3);
      }
      if (adapter.name === 'unum') for (const line of AWS_STORAGE_LINES) expect(execution.usage![line], line).toBeGreaterThan(0);
      if (adapter.name === 'durable') {
        const puts = execution.trace.invocations.reduce((n, inv) => n + inv.storage!.objectPuts, 0);
        expect(execution.usage!['azure.storage.blob.writeOperation']).toBe(puts);
      }
      await adapter.teardown(deployment);
    },
    120_000,
  );

  it('rejects an output whose analysis is off by one pair', async () => {
    const adapter = new InlineAdapter();
    const deployment = await adapter.deploy(
      { name: genome.name, graph: genome.graph(params), functionsUrl: genome.functionsUrl, storage: genome.storage!(params) },
      { target: 'local' },
    );
    const { output } = await adapter.run(deployment, genome.input(params), { cold: false, faults: {} });
    const sinks = output as Record<string, Record<string, Value>>;
    const tampered = {
      ...sinks,
      'mutation_overlap-AFR': { ...sinks['mutation_overlap-AFR']!, overlapPairs: Number(sinks['mutation_overlap-AFR']!['overlapPairs']) + 1 },
    };
    expect(await genome.verify(tampered, genome.input(params), params)).toMatchObject({ ok: false, reason: expect.stringContaining('mutation_overlap-AFR') });
  });

  it('fails a run whose functions are given no storage, saying so', async () => {
    const adapter = new InlineAdapter();
    const deployment = await adapter.deploy({ name: genome.name, graph: genome.graph(params), functionsUrl: genome.functionsUrl }, { target: 'local' });
    await expect(adapter.run(deployment, genome.input(params), { cold: false, faults: {} })).rejects.toThrow(/needs ctx.storage and ctx.nosql/);
  });

  it('generates the same files for the same params, and genotypes that follow the allele frequency', () => {
    const shape = { individuals: 200, variants: 300, parts: 2, populations: 5 };
    const a = genomeFiles(shape, 7);
    expect(genomeFiles(shape, 7).objects).toEqual(a.objects);
    const mutations = mutationsOf(a.objects[a.partKeys[0]!]! + a.objects[a.partKeys[1]!]!, a.objects[a.columnsKey]!);
    const carried = Object.values(mutations).reduce((n, ids) => n + ids.length, 0);
    // Minor alleles on the first chromosome: rare variants dominate, so well under half of all genotypes.
    expect(carried).toBeGreaterThan(0);
    expect(carried).toBeLessThan((200 * 300) / 2);
  });
});
