import type { Workload } from '../../harness/model/index.ts';
import { isRecord } from '../../harness/model/value.ts';
import { expectedCounts, generateEvents } from './events.ts';

const SEED = 0x7a400;

/**
 * The Yahoo streaming benchmark as a workflow over a recorded stretch of the stream:
 * the events of `seconds` at `eventsPerSecond`, split into `batches` (Kafka
 * partitions), each through deserialize -> filter -> project -> join, then merged and
 * counted per campaign per `windowSeconds` tumbling window. Verify recomputes every
 * count from the raw events. The window latency is `windowLatencyUs` (see README).
 */
export const yahoo: Workload = {
  name: 'yahoo',
  description: 'Yahoo streaming benchmark: ad events filtered, joined to campaigns, counted per campaign per time window',
  params: {
    eventsPerSecond: { description: 'fixed generation rate of the stream', default: 1000, min: 1, max: 1_000_000, integer: true, unit: 'events/s' },
    seconds: { description: 'length of the stream stretch', default: 20, min: 1, max: 3600, integer: true, unit: 's' },
    windowSeconds: { description: 'tumbling window length (10 s in the original)', default: 10, min: 1, max: 3600, integer: true, unit: 's' },
    batches: { description: 'parallel batches (Kafka partitions)', default: 4, min: 1, max: 1000, integer: true },
  },
  functionsUrl: new URL('./functions.ts', import.meta.url).href,
  graph: ({ windowSeconds }) => ({
    kind: 'sequence',
    steps: [
      { kind: 'map', body: { kind: 'sequence', steps: ['deserialize', 'filterViews', 'project', 'join'].map((fn) => ({ kind: 'task' as const, fn })) } },
      { kind: 'task', fn: 'merge' },
      { kind: 'window', fn: 'countWindow', size: { durationMs: windowSeconds! * 1000, timeField: 'event_time_ms' } },
    ],
  }),
  input: ({ eventsPerSecond, seconds, batches }) => {
    const events = generateEvents(SEED, eventsPerSecond! * seconds!, eventsPerSecond!);
    const size = Math.ceil(events.length / batches!);
    return Array.from({ length: batches! }, (_, b) => ({ seed: SEED, events: events.slice(b * size, (b + 1) * size) }));
  },
  verify(output, input, { windowSeconds }) {
    const events = (input as { events: string[] }[]).flatMap((batch) => batch.events);
    const expected = expectedCounts(events, SEED, windowSeconds! * 1000);
    if (!Array.isArray(output)) return { ok: false, reason: 'output is not an array of windows' };
    const starts = [...expected.keys()].sort((a, b) => a - b);
    if (output.length !== starts.length) return { ok: false, reason: `${output.length} windows, expected ${starts.length}` };
    for (const [i, start] of starts.entries()) {
      const window = output[i]!;
      if (!isRecord(window) || window['windowStartMs'] !== start || !isRecord(window['counts']!))
        return { ok: false, reason: `window ${i}: expected start ${start}` };
      const counts = window['counts'] as Record<string, number>;
      const want = expected.get(start)!;
      if (Object.keys(counts).length !== want.size)
        return { ok: false, reason: `window ${start}: ${Object.keys(counts).length} campaigns, expected ${want.size}` };
      for (const [campaign, n] of want) {
        if (counts[campaign] !== n) return { ok: false, reason: `window ${start}, campaign ${campaign}: ${String(counts[campaign])} views, expected ${n}` };
      }
    }
    return { ok: true };
  },
};
