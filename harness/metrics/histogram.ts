/**
 * HDR latency histograms (hdr-histogram-js, WebAssembly build), in integer
 * microseconds with 3 significant digits, stored whole as compressed base64.
 */
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/** One hour: longer latencies are clamped here and still counted. */
const HIGHEST_TRACKABLE_US = 3_600_000_000;

let wasmReady: Promise<void> | undefined;

/** Loads the WebAssembly module once; every other function here needs it. */
export function initHistograms(): Promise<void> {
  wasmReady ??= hdr.initWebAssembly();
  return wasmReady;
}

export function newHistogram(): Histogram {
  return hdr.build({
    useWebAssembly: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

export function histogramOf(valuesUs: Iterable<number>): Histogram {
  const histogram = newHistogram();
  for (const valueUs of valuesUs) recordUs(histogram, valueUs);
  return histogram;
}

/** Records a latency, rounded to whole microseconds; negative values are a caller bug. */
export function recordUs(histogram: Histogram, valueUs: number): void {
  if (!(valueUs >= 0)) throw new RangeError(`latency must be a non-negative number of microseconds, got ${valueUs}`);
  histogram.recordValue(Math.min(Math.round(valueUs), HIGHEST_TRACKABLE_US));
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Throws when the text is not a compressed HDR histogram. */
export function decodeHistogram(base64: string): Histogram {
  return hdr.decodeFromCompressedBase64(base64, 32, true);
}

/** Runs `use` and frees the histogram's WebAssembly memory afterwards. */
export function withHistogram<T>(histogram: Histogram, use: (h: Histogram) => T): T {
  try {
    return use(histogram);
  } finally {
    histogram.destroy();
  }
}
