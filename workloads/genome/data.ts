/**
 * The 1000-genome workflow's inputs, generated from a seed in the shapes of the 1000 Genomes
 * Project's files (Phase 3 VCF of one chromosome split into parts, its column header, the
 * VEP-annotated sites file with SIFT scores, one file of sample names per super
 * population): the real files are gigabytes and not ours to ship. Genotypes follow each
 * variant's allele frequency, so the analyses find what they would in real data, in kind.
 */
import { seededRandom } from '../shared/random.ts';

export const CHROMOSOME = '21';
/** The five super populations of the 1000 Genomes Project. */
export const POPULATIONS = ['AFR', 'AMR', 'EAS', 'EUR', 'SAS'] as const;
/** Columns before the genotypes in a VCF line. */
export const FIXED_COLUMNS = ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT'];

export interface GenomeShape {
  readonly individuals: number;
  readonly variants: number;
  /** How many parts the VCF is split into: one `individuals` function each. */
  readonly parts: number;
  readonly populations: number;
}

/** The objects a deploy uploads, by key. */
export interface GenomeFiles {
  readonly columnsKey: string;
  readonly partKeys: readonly string[];
  readonly siftingKey: string;
  readonly populationKeys: Readonly<Record<string, string>>;
  readonly objects: Readonly<Record<string, string>>;
}

export function sampleNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `HG${String(96 + i).padStart(5, '0')}`);
}

export function rsId(variant: number): string {
  return `rs${100_000 + variant * 7}`;
}

const BASES = ['A', 'C', 'G', 'T'];

export function genomeFiles(shape: GenomeShape, seed: number): GenomeFiles {
  const next = seededRandom(seed);
  const names = sampleNames(shape.individuals);
  const columns = [...FIXED_COLUMNS, ...names].join('\t');
  const lines: string[] = [];
  const sites: string[] = [
    '##fileformat=VCFv4.1',
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP">',
    FIXED_COLUMNS.slice(0, 8).join('\t'),
  ];
  for (let v = 0; v < shape.variants; v++) {
    const pos = 9_411_000 + v * 37;
    const ref = BASES[Math.floor(next() * 4)]!;
    const alt = BASES[(BASES.indexOf(ref) + 1 + Math.floor(next() * 3)) % 4]!;
    // Most variants are rare, as in the project's data; a few are common.
    const af = Math.round((next() < 0.8 ? next() * 0.1 : next()) * 10_000) / 10_000;
    const genotypes = names.map(() => `${next() < af ? 1 : 0}|${next() < af ? 1 : 0}`);
    const ac = genotypes.reduce((n, g) => n + (g[0] === '1' ? 1 : 0) + (g[2] === '1' ? 1 : 0), 0);
    const info = `AC=${ac};AF=${af};AN=${2 * names.length};NS=${names.length};DP=${names.length * 4};VT=SNP`;
    lines.push([CHROMOSOME, pos, rsId(v), ref, alt, 100, 'PASS', info, 'GT', ...genotypes].join('\t'));
    // About four in ten sites have a SIFT prediction; a score under 0.05 is deleterious.
    if (next() < 0.4) {
      const score = Math.round(next() * 100) / 100;
      const effect = score < 0.05 ? 'deleterious' : 'tolerated';
      sites.push([CHROMOSOME, pos, rsId(v), ref, alt, '.', '.', `CSQ=${alt}|missense_variant|MODERATE|G${v % 97}|SIFT=${effect}(${score})`].join('\t'));
    } else {
      sites.push([CHROMOSOME, pos, rsId(v), ref, alt, '.', '.', `CSQ=${alt}|intron_variant|MODIFIER|G${v % 97}|`].join('\t'));
    }
  }
  const objects: Record<string, string> = { 'input/columns.txt': `${columns}\n` };
  const perPart = Math.ceil(lines.length / shape.parts);
  const partKeys: string[] = [];
  for (let p = 0; p < shape.parts; p++) {
    const key = `input/ALL.chr${CHROMOSOME}.part-${p}.vcf`;
    partKeys.push(key);
    objects[key] = lines.slice(p * perPart, (p + 1) * perPart).join('\n') + '\n';
  }
  const siftingKey = `input/ALL.chr${CHROMOSOME}.sites.annotation.vcf`;
  objects[siftingKey] = `${sites.join('\n')}\n`;
  // Each sample in one super population, dealt at random.
  const populationKeys: Record<string, string> = {};
  const members = new Map<string, string[]>();
  const used = POPULATIONS.slice(0, shape.populations);
  for (const name of names) {
    const population = used[Math.floor(next() * used.length)]!;
    members.set(population, [...(members.get(population) ?? []), name]);
  }
  for (const population of used) {
    const key = `input/populations/${population}`;
    populationKeys[population] = key;
    objects[key] = (members.get(population) ?? []).map((n) => `${n}\n`).join('');
  }
  return { columnsKey: 'input/columns.txt', partKeys, siftingKey, populationKeys, objects };
}
