/** How a window node cuts its input events into windows (the model's definition, used by the oracle and by platforms). */
import type { Value } from './value.ts';
import { fieldOf } from './condition.ts';
import type { WindowNode } from './workflow.ts';

export function windowsOf(events: readonly Value[], size: WindowNode['size']): Value[] {
  if ('count' in size) {
    const windows: Value[] = [];
    for (let start = 0, index = 0; start < events.length; start += size.count, index++) {
      windows.push({ index, events: events.slice(start, start + size.count) });
    }
    return windows;
  }
  const byStart = new Map<number, Value[]>();
  for (const event of events) {
    const t = fieldOf(event, size.timeField);
    if (typeof t !== 'number') throw new Error(`window: event field '${size.timeField}' must be a number (ms)`);
    const startMs = Math.floor(t / size.durationMs) * size.durationMs;
    const window = byStart.get(startMs);
    if (window) window.push(event);
    else byStart.set(startMs, [event]);
  }
  return [...byStart.keys()].sort((a, b) => a - b).map((startMs, index) => ({ index, startMs, events: byStart.get(startMs)! }));
}
