/**
 * The advertising pipeline of the Yahoo streaming benchmark, one function per stage,
 * each over a batch of events (a Kafka poll) rather than one event: deserialize ->
 * filter views -> project (ad_id, event_time) -> join ad to campaign; then the batches
 * merge and a tumbling time window counts views per campaign.
 */
import type { FunctionsModule, Value } from '../../harness/model/index.ts';
import { isRecord } from '../../harness/model/value.ts';
import { setupOf } from './events.ts';

type Row = Record<string, string>;

function rows(input: Value, stage: string): Row[] {
  if (!Array.isArray(input)) throw new Error(`yahoo ${stage}: input must be an array`);
  return input as unknown as Row[];
}

export const functions: FunctionsModule['functions'] = {
  deserialize(input) {
    const batch = input as { seed: number; events: string[] };
    if (!isRecord(input) || !Array.isArray(batch.events)) throw new Error('yahoo deserialize: input must be { seed, events }');
    return { seed: batch.seed, rows: batch.events.map((text) => JSON.parse(text) as Row) } as unknown as Value;
  },
  filterViews(input) {
    const { seed, rows: all } = input as unknown as { seed: number; rows: Row[] };
    return { seed, rows: all.filter((row) => row['event_type'] === 'view') } as unknown as Value;
  },
  project(input) {
    const { seed, rows: all } = input as unknown as { seed: number; rows: Row[] };
    return { seed, rows: all.map((row) => ({ ad_id: row['ad_id']!, event_time: row['event_time']! })) } as unknown as Value;
  },
  /** The join against the ad -> campaign table (a local cache of it, as in RedisAdCampaignCache). */
  join(input) {
    const { seed, rows: all } = input as unknown as { seed: number; rows: Row[] };
    const { adToCampaign } = setupOf(seed);
    return all.map((row) => {
      const campaign = adToCampaign.get(row['ad_id']!);
      if (!campaign) throw new Error(`yahoo join: unknown ad ${row['ad_id']}`);
      return { campaign_id: campaign, ad_id: row['ad_id']!, event_time_ms: Number(row['event_time']) };
    });
  },
  merge(input) {
    if (!Array.isArray(input)) throw new Error('yahoo merge: input must be an array of batches');
    return (input as Value[]).flatMap((batch) => rows(batch, 'merge') as unknown as Value[]);
  },
  /** One window: views per campaign (the campaign processor's counts, flushed once). */
  countWindow(input) {
    if (!isRecord(input) || !Array.isArray(input['events'])) throw new Error('yahoo countWindow: input must be a window');
    const counts: Record<string, number> = {};
    for (const event of input['events'] as unknown as { campaign_id: string }[]) counts[event.campaign_id] = (counts[event.campaign_id] ?? 0) + 1;
    return { windowStartMs: input['startMs'] as number, counts };
  },
};
