import type { DataObject } from '../data-object.ts';
import type { RuntimeValue } from '../value.ts';
import { fieldOf } from '../conditions.ts';
import { ScopedState, fire, type CountedTrigger, type Emission, type Offer } from './trigger.ts';

export interface ByTimeOptions {
  readonly windowMs: number;
  /**
   * Event time: a numeric field (ms) of each object's value. Windows are
   * [k * windowMs, (k + 1) * windowMs). Without it, processing time: a window closes
   * every windowMs after the first arrival.
   */
  readonly timeField?: string;
  /** Event time only: fire a window once an event this much past its end has arrived (default: at the end of the stream). */
  readonly latenessMs?: number;
}

interface Stream {
  expected: number | undefined;
  received: number;
  fired: number;
  /** Event time: window start -> objects. Processing time: one open window under key 0. */
  readonly open: Map<number, DataObject[]>;
  watermarkMs: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * ByTime: fires with the objects of each time window, as `{ index, startMs?, events }`
 * under the scope + the window index; at the end of the stream (its length announced
 * by a `split`) the rest fire and the number of windows is announced.
 */
export class ByTimeTrigger implements CountedTrigger {
  private readonly state = new ScopedState<Stream>();
  private readonly options: ByTimeOptions;
  private readonly onTimer: (emissions: Emission[]) => void;

  /** `onTimer` receives what a processing-time window fires when its timer expires. */
  constructor(options: ByTimeOptions, onTimer: (emissions: Emission[]) => void) {
    this.options = options;
    this.onTimer = onTimer;
  }

  offer(object: DataObject): Offer {
    const stream = this.stream(object.session, object.scope);
    const { timeField, windowMs } = this.options;
    stream.received++;
    let startMs = 0;
    if (timeField !== undefined) {
      const t = fieldOf(object.value, timeField);
      if (typeof t !== 'number') throw new Error(`byTime: object ${object.name} has no numeric field '${timeField}'`);
      startMs = Math.floor(t / windowMs) * windowMs;
      if (startMs + windowMs + (this.options.latenessMs ?? Infinity) <= stream.watermarkMs) return { emissions: this.drain(object, stream), kept: false }; // late
      stream.watermarkMs = Math.max(stream.watermarkMs, t);
    } else if (!stream.timer) {
      stream.timer = setInterval(() => this.onTimer(this.closeProcessingWindow(object.session, object.scope, stream)), windowMs);
      stream.timer.unref();
    }
    const window = stream.open.get(startMs);
    if (window) window.push(object);
    else stream.open.set(startMs, [object]);
    return { emissions: this.drain(object, stream), kept: true };
  }

  expect(session: string, scope: readonly string[], count: number): Emission[] {
    const stream = this.stream(session, scope);
    stream.expected = count;
    return this.finishIfComplete(session, scope, stream);
  }

  dropSession(session: string): DataObject[] {
    return this.state.dropSession(session).flatMap((stream) => {
      clearInterval(stream.timer);
      return [...stream.open.values()].flat();
    });
  }

  private stream(session: string, scope: readonly string[]): Stream {
    return this.state.get(session, scope, () => ({ expected: undefined, received: 0, fired: 0, open: new Map(), watermarkMs: -Infinity, timer: undefined }));
  }

  private drain(object: DataObject, stream: Stream): Emission[] {
    const emissions: Emission[] = [];
    const lateness = this.options.latenessMs;
    if (this.options.timeField !== undefined && lateness !== undefined) {
      for (const startMs of [...stream.open.keys()].sort((a, b) => a - b)) {
        if (startMs + this.options.windowMs + lateness > stream.watermarkMs) break;
        emissions.push(this.fireWindow(object.session, object.scope, stream, startMs));
      }
    }
    return [...emissions, ...this.finishIfComplete(object.session, object.scope, stream)];
  }

  private finishIfComplete(session: string, scope: readonly string[], stream: Stream): Emission[] {
    if (stream.expected === undefined || stream.received < stream.expected) return [];
    clearInterval(stream.timer);
    const emissions = [...stream.open.keys()].sort((a, b) => a - b).map((startMs) => this.fireWindow(session, scope, stream, startMs));
    this.state.delete(session, scope);
    return [...emissions, { type: 'total', session, scope, count: stream.fired }];
  }

  private closeProcessingWindow(session: string, scope: readonly string[], stream: Stream): Emission[] {
    return stream.open.has(0) ? [this.fireWindow(session, scope, stream, 0)] : [];
  }

  private fireWindow(session: string, scope: readonly string[], stream: Stream, startMs: number): Emission {
    const objects = stream.open.get(startMs)!;
    stream.open.delete(startMs);
    const index = stream.fired++;
    const value: Record<string, RuntimeValue> = { index, events: objects.map((o) => o.value) };
    if (this.options.timeField !== undefined) value['startMs'] = startMs;
    return fire(session, [...scope, String(index)], objects, value);
  }
}
