/**
 * Prices are data: every price carries its unit and public source, and every table
 * its region and date (harness/cost/prices/*.json).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { z } from 'zod';
import { formatZodIssue } from '../results/zod-errors.ts';

const PriceTableSchema = z.strictObject({
  provider: z.string(),
  region: z.string(),
  currency: z.literal('USD'),
  date: z.iso.date(),
  note: z.string().optional(),
  items: z.record(z.string(), z.strictObject({ usd: z.number().nonnegative(), unit: z.string().min(1), source: z.string().min(1) })),
});

export type PriceTable = z.infer<typeof PriceTableSchema>;
export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  readonly date: string;
  readonly region: string;
}

const DIR = new URL('./prices/', import.meta.url);
let tables: readonly PriceTable[] | undefined;

/** Every price table, in file order. Throws naming the file and field of a bad table. */
export function priceTables(): readonly PriceTable[] {
  tables ??= readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = PriceTableSchema.safeParse(JSON.parse(readFileSync(new URL(file, DIR), 'utf8')));
      if (!parsed.success) throw new Error(`harness/cost/prices/${file}: ${formatZodIssue(parsed.error.issues[0]!)}`);
      return parsed.data;
    });
  return tables;
}

/**
 * Every line item by name, from one table per provider: the one for `region` where the
 * provider has it, else the provider's first (the region the local stand-ins answer as).
 * A provider with tables but none for a region given is left out: its items have no price there.
 */
export function prices(region?: string): ReadonlyMap<string, Price> {
  const catalog = new Map<string, Price>();
  const providers = new Set(priceTables().map((t) => t.provider));
  for (const provider of providers) {
    const own = priceTables().filter((t) => t.provider === provider);
    const hasRegion = region !== undefined && own.some((t) => t.region === region);
    const table = region === undefined ? own[0] : hasRegion ? own.find((t) => t.region === region) : undefined;
    if (!table) continue;
    for (const [name, item] of Object.entries(table.items)) catalog.set(name, { ...item, date: table.date, region: table.region });
  }
  return catalog;
}
