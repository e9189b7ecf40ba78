import { describe, expect, it } from 'vitest';
import { describeLoad, parseDuration, parseLoad } from './load-spec.ts';

describe('--load', () => {
  it('reads every mode, with its options', () => {
    expect(parseLoad({})).toEqual({ mode: 'closed' });
    expect(parseLoad({ load: 'burst:8' })).toEqual({ mode: 'burst', concurrency: 8 });
    expect(parseLoad({ load: 'open:200/s', duration: '20s' })).toEqual({ mode: 'open', ratePerSec: 200, durationSeconds: 20 });
    expect(parseLoad({ load: 'open:0.5/s', duration: '2m' })).toEqual({ mode: 'open', ratePerSec: 0.5, durationSeconds: 120 });
    expect(parseLoad({ load: 'trace:t.csv', traceMinute: '500ms', traceRateScale: 2, traceFunction: 3 })).toEqual({
      mode: 'trace',
      file: 't.csv',
      minuteSeconds: 0.5,
      rateScale: 2,
      functionRow: 3,
    });
    expect(describeLoad(parseLoad({ load: 'open:200/s', duration: '20s' }))).toBe('open:200/s for 20 s');
    expect(parseDuration('1.5', '--duration')).toBe(1.5);
  });

  it('refuses what it cannot run, naming the option and what it expected (exit code 2)', () => {
    const cases: [Parameters<typeof parseLoad>[0], RegExp][] = [
      [{ load: 'random' }, /--load random: expected closed, burst:N, open:RATE\/s or trace:FILE/],
      [{ load: 'burst:0' }, /--load burst:0: expected burst:N with N from 1 to 10000/],
      [{ load: 'open:200' }, /expected closed, burst:N, open:RATE\/s/],
      [{ load: 'open:0.01/s', duration: '10s' }, /schedule at least one execution/],
      [{ load: 'open:10/s', duration: 'soon' }, /--duration soon: expected a positive duration such as 20s/],
      [{ load: 'closed', duration: '10s' }, /--duration: only with --load open:RATE\/s or trace:FILE/],
      [{ load: 'burst:2', traceRateScale: 2 }, /--trace-scale: only with --load trace:FILE/],
      [{ load: 'trace:x.csv', traceFunction: 0 }, /--trace-function 0: expected a row number/],
      [{ load: 'trace:x.csv', traceRateScale: -1 }, /--trace-scale -1: expected a positive number/],
    ];
    for (const [options, message] of cases)
      expect(() => parseLoad(options), JSON.stringify(options)).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(message) }));
  });
});
