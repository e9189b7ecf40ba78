import { describe, expect, it } from 'vitest';
import { evaluate, type Functions } from '../../harness/semantics/evaluate.ts';
import type { Value } from '../../harness/model/index.ts';
import { CAMPAIGNS, STREAM_START_MS, generateEvents, setupOf } from './events.ts';
import { functions } from './functions.ts';
import { yahoo } from './index.ts';

describe('yahoo events', () => {
  it('have the original schema: string fields only, fixed-rate event times, 100 campaigns x 10 ads', () => {
    const events = generateEvents(7, 2000, 1000).map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(Object.keys(events[0]!)).toEqual(['user_id', 'page_id', 'ad_id', 'ad_type', 'event_type', 'event_time', 'ip_address']);
    expect(events.every((e) => Object.values(e).every((v) => typeof v === 'string'))).toBe(true);
    expect(events[1000]!['event_time']).toBe(String(STREAM_START_MS + 1000));
    const views = events.filter((e) => e['event_type'] === 'view').length;
    expect(views / events.length).toBeGreaterThan(0.28);
    expect(views / events.length).toBeLessThan(0.39);
    const setup = setupOf(7);
    expect(setup.campaigns).toHaveLength(CAMPAIGNS);
    expect(new Set(setup.adToCampaign.values()).size).toBe(CAMPAIGNS);
    expect(setup.adToCampaign.size).toBe(1000);
  });
});

describe('yahoo verify', () => {
  const params = { eventsPerSecond: 200, seconds: 25, windowSeconds: 10, batches: 3 };
  const input = yahoo.input(params);

  it('accepts the counts of the pipeline and rejects a miscount', async () => {
    const output = (await evaluate(yahoo.graph(params), input, functions as Functions)) as { windowStartMs: number; counts: Record<string, number> }[];
    expect(output.length).toBe(3); // 25 s of events over 10 s windows aligned to epoch multiples
    expect(yahoo.verify(output as unknown as Value, input, params)).toEqual({ ok: true });
    const [campaign, n] = Object.entries(output[1]!.counts)[0]!;
    const miscounted = output.map((w, i) => (i === 1 ? { ...w, counts: { ...w.counts, [campaign]: n + 1 } } : w));
    expect(yahoo.verify(miscounted as unknown as Value, input, params)).toMatchObject({ ok: false, reason: expect.stringMatching(/views, expected/) });
  });

  it('rejects counting clicks too (a filter that lets everything through)', async () => {
    const noFilter: Functions = { ...functions, filterViews: (v) => v };
    const output = await evaluate(yahoo.graph(params), input, noFilter);
    expect(yahoo.verify(output, input, params)).toMatchObject({ ok: false });
  });
});
