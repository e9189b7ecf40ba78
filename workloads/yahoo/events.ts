/**
 * The Yahoo streaming benchmark's data, as its generator (`data/src/setup/core.clj`,
 * yahoo/streaming-benchmarks) makes it: 100 campaigns of 10 ads each, 100 users and
 * 100 pages, events as JSON text with string fields only, emitted at a fixed rate
 * (`event_time` is the scheduled emit time in epoch ms).
 * Ids are UUIDs drawn from a seeded generator, so a run can be reproduced.
 */
import { seededRandom } from '../shared/random.ts';

export const CAMPAIGNS = 100;
export const ADS_PER_CAMPAIGN = 10;
const USERS = 100;
const PAGES = 100;
const AD_TYPES = ['banner', 'modal', 'sponsored-search', 'mail', 'mobile'] as const;
const EVENT_TYPES = ['view', 'click', 'purchase'] as const;
/** The stream's first scheduled emit time (epoch ms): fixed, so inputs are deterministic. */
export const STREAM_START_MS = 1_700_000_000_000;

function uuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export interface Setup {
  readonly campaigns: readonly string[];
  /** ad id -> campaign id (Redis `GET ad_id` in the original). */
  readonly adToCampaign: ReadonlyMap<string, string>;
  readonly ads: readonly string[];
  readonly users: readonly string[];
  readonly pages: readonly string[];
}

const setups = new Map<number, Setup>();

export function setupOf(seed: number): Setup {
  let setup = setups.get(seed);
  if (!setup) {
    const next = seededRandom(seed);
    const campaigns = Array.from({ length: CAMPAIGNS }, () => uuid(next));
    const ads = campaigns.flatMap(() => Array.from({ length: ADS_PER_CAMPAIGN }, () => uuid(next)));
    const adToCampaign = new Map(ads.map((ad, i) => [ad, campaigns[Math.floor(i / ADS_PER_CAMPAIGN)]!]));
    setup = { campaigns, ads, adToCampaign, users: Array.from({ length: USERS }, () => uuid(next)), pages: Array.from({ length: PAGES }, () => uuid(next)) };
    setups.set(seed, setup);
  }
  return setup;
}

/** `count` events at `perSecond`, as the generator's `make-kafka-event-at` writes them. */
export function generateEvents(seed: number, count: number, perSecond: number): string[] {
  const { ads, users, pages } = setupOf(seed);
  const next = seededRandom(seed ^ 0x9e3779b9);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const eventTime = STREAM_START_MS + Math.floor((i * 1000) / perSecond);
    return `{"user_id": "${pick(users)}", "page_id": "${pick(pages)}", "ad_id": "${pick(ads)}", "ad_type": "${pick(AD_TYPES)}", "event_type": "${pick(EVENT_TYPES)}", "event_time": "${eventTime}", "ip_address": "1.2.3.4"}`;
  });
}

/** Ground truth: views per campaign per window start, from the raw events. */
export function expectedCounts(events: readonly string[], seed: number, windowMs: number): Map<number, Map<string, number>> {
  const { adToCampaign } = setupOf(seed);
  const windows = new Map<number, Map<string, number>>();
  for (const text of events) {
    const event = JSON.parse(text) as Record<string, string>;
    if (event['event_type'] !== 'view') continue;
    const campaign = adToCampaign.get(event['ad_id']!)!;
    const start = Math.floor(Number(event['event_time']) / windowMs) * windowMs;
    const counts = windows.get(start) ?? new Map<string, number>();
    counts.set(campaign, (counts.get(campaign) ?? 0) + 1);
    windows.set(start, counts);
  }
  return windows;
}
