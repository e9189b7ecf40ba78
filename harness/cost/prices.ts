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
let catalog: Map<string, Price> | undefined;

/** Every line item of every price table, by name. Throws naming the file and field of a bad table. */
export function prices(): ReadonlyMap<string, Price> {
  if (catalog) return catalog;
  catalog = new Map();
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = PriceTableSchema.safeParse(JSON.parse(readFileSync(new URL(file, DIR), 'utf8')));
    if (!parsed.success) throw new Error(`harness/cost/prices/${file}: ${formatZodIssue(parsed.error.issues[0]!)}`);
    for (const [name, item] of Object.entries(parsed.data.items)) catalog.set(name, { ...item, date: parsed.data.date, region: parsed.data.region });
  }
  return catalog;
}
