import { describe, expect, it } from 'vitest';
import { estimateCost, type CostEstimate } from './cost.ts';
import { prices } from './prices.ts';

describe('cost', () => {
  it('prices carry a unit, a source and a dated table', () => {
    const transition = prices().get('aws.sfn.standard.transition')!;
    expect(transition.usd).toBe(0.000025);
    expect(transition.unit).toBe('state transition');
    expect(transition.source).toMatch(/^https:\/\/aws\.amazon\.com\/step-functions\/pricing/);
    expect(transition.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('averages usage over executions and scales to a million', () => {
    const estimate = estimateCost([
      { 'aws.sfn.standard.transition': 4, 'aws.lambda.request': 3 },
      { 'aws.sfn.standard.transition': 6, 'aws.lambda.request': 3 },
    ]) as CostEstimate;
    expect(estimate.breakdown['aws.sfn.standard.transition']).toBeCloseTo(125, 6); // 5 transitions * $25 per million
    expect(estimate.breakdown['aws.lambda.request']).toBeCloseTo(0.6, 6);
    expect(estimate.usdPerMillion).toBeCloseTo(125.6, 6);
  });

  it("prices a region's usage from that region's table, and says so where there is none", () => {
    const usage = [{ 'aws.lambda.request': 1e6 }];
    expect(estimateCost(usage, 'us-east-1')).toEqual(estimateCost(usage));
    expect(estimateCost(usage, 'eu-west-1')).toEqual({ unavailable: 'no price for eu-west-1: harness/cost/prices has aws us-east-1' });
    // A region of one provider leaves the others' items to their own tables.
    expect((estimateCost([{ 'azure.functions.execution': 1 }], 'eastus') as CostEstimate).usdPerMillion).toBeGreaterThan(0);
  });

  it('refuses usage it has no price for', () => {
    expect(() => estimateCost([{ 'aws.unknown.thing': 1 }])).toThrow("no price for 'aws.unknown.thing'");
  });
});
