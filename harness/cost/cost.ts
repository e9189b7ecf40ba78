/**
 * Dollars per million executions from usage counted in each execution's trace or
 * history (adapters report `usage`: line item -> quantity per execution).
 */
import { priceTables, prices } from './prices.ts';

export interface CostEstimate {
  readonly usdPerMillion: number;
  /** Line item -> dollars per million executions. */
  readonly breakdown: Record<string, number>;
  /** Dates of the price tables used. */
  readonly priceDates: string[];
}

/** A cost that cannot be given: the usage is priced, but not in the deployment's region. */
export interface CostUnavailable {
  readonly unavailable: string;
}

/**
 * The mean cost of the executions whose usage is given, per million executions, at the
 * prices of `region` (default: each provider's first table, the stand-ins' region).
 */
export function estimateCost(usages: readonly Readonly<Record<string, number>>[], region?: string): CostEstimate | CostUnavailable | undefined {
  if (usages.length === 0) return undefined;
  const table = prices(region);
  const breakdown: Record<string, number> = {};
  const dates = new Set<string>();
  for (const usage of usages) {
    for (const [item, quantity] of Object.entries(usage)) {
      const price = table.get(item);
      if (!price) {
        const elsewhere = priceTables().filter((t) => item in t.items);
        if (elsewhere.length > 0)
          return { unavailable: `no price for ${region}: harness/cost/prices has ${elsewhere.map((t) => `${t.provider} ${t.region}`).join(', ')}` };
        throw new Error(`no price for '${item}' in harness/cost/prices/`);
      }
      dates.add(price.date);
      breakdown[item] = (breakdown[item] ?? 0) + (quantity * price.usd * 1e6) / usages.length;
    }
  }
  return { usdPerMillion: Object.values(breakdown).reduce((a, b) => a + b, 0), breakdown, priceDates: [...dates].sort() };
}
