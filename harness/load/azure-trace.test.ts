import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAzureTrace, traceArrivalsMs, traceCounts } from './azure-trace.ts';

const TRACE = new URL('../../data/azure-functions-trace/invocations.csv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'baton-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Azure Functions trace', () => {
  it('reads the excerpt: four functions, 1440 minutes each', () => {
    const functions = readAzureTrace(TRACE);
    expect(functions).toHaveLength(4);
    for (const f of functions) expect(f.perMinute).toHaveLength(1440);
    const all = traceCounts(functions, TRACE);
    expect(all.reduce((a, b) => a + b, 0)).toBe(functions.reduce((n, f) => n + f.perMinute.reduce((a, b) => a + b, 0), 0));
    expect(traceCounts(functions, TRACE, 2)).toEqual(functions[1]!.perMinute);
    expect(() => traceCounts(functions, TRACE, 5)).toThrow(/--trace-function 5: .* has 4 function rows/);
  });

  it("spreads each minute's count over it, scaled in time and rate, up to the duration", () => {
    expect(traceArrivalsMs([2, 0, 1], 60, 1)).toEqual([15_000, 45_000, 150_000]);
    expect(traceArrivalsMs([2, 0, 1], 1, 1)).toEqual([250, 750, 2500]);
    // A rate scale keeps its fractions: half of 1 + 1 + 1 + 1 is 2.
    expect(traceArrivalsMs([1, 1, 1, 1], 1, 0.5)).toHaveLength(2);
    expect(traceArrivalsMs([4, 4], 1, 1, 1.1)).toEqual([125, 375, 625, 875]);
  });

  it('names the file, line and field of what is wrong with a trace', () => {
    const write = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    expect(() => readAzureTrace(join(dir, 'none.csv'))).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/cannot read the file \(ENOENT\)/) }),
    );
    expect(() => readAzureTrace(write('a.csv', 'Owner,HashApp,HashFunction,Trigger,1\na,b,c,http,1\n'))).toThrow(
      /a\.csv:1: column 1 is 'Owner': expected 'HashOwner'/,
    );
    expect(() => readAzureTrace(write('b.csv', 'HashOwner,HashApp,HashFunction,Trigger,1,3\na,b,c,http,1,2\n'))).toThrow(
      /b\.csv:1: column 6 is '3': expected minute 2/,
    );
    expect(() => readAzureTrace(write('c.csv', 'HashOwner,HashApp,HashFunction,Trigger,1,2\na,b,c,http,1,x\n'))).toThrow(
      /c\.csv:2: minute 2 is 'x': expected a whole number/,
    );
    expect(() => readAzureTrace(write('d.csv', 'HashOwner,HashApp,HashFunction,Trigger,1,2\na,b,c,http,1\n'))).toThrow(/d\.csv:2: 5 fields: expected 6/);
  });
});
