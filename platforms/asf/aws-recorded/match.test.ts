/** The comparison with AWS's recordings can fail: it holds values to the recordings' own rules only. */
import { describe, expect, it } from 'vitest';
import { difference } from './match.ts';

describe("comparing with AWS's recordings", () => {
  it('lets placeholders match any value, and nothing else', () => {
    expect(difference({ id: '<uuid:1>', at: 'timestamp' }, { id: 'f3a1', at: 'Tue' })).toBeUndefined();
    expect(difference('arn:<partition>:states:<region>:111:x', 'arn:aws:states:us-east-1:111:x')).toBeUndefined();
    expect(difference('arn:<partition>:states:<region>:111:x', 'arn:aws:states:us-east-1:222:x')).toMatch(/expected/);
    expect(difference({ a: 1 }, { a: 2 })).toMatch(/\$\.a: expected 1, got 2/);
    expect(difference({ a: 1 }, { a: 1, b: 2 })).toMatch(/unexpected key 'b'/);
    expect(difference([1, 2], [1])).toMatch(/expected 2 items/);
    expect(difference(null, 0)).toMatch(/expected null/);
  });

  it('reads JSON strings on either side, as LocalStack stored them parsed', () => {
    expect(difference({ x: [1] }, '{"x":[1]}')).toBeUndefined();
    expect(difference('[{"a":1}]', [{ a: 1 }])).toBeUndefined();
    expect(difference({ x: [1] }, '{"x":[2]}')).toMatch(/\$\.x\[0\]/);
  });

  it("holds a Lambda error payload to its errorType and errorMessage, not the runtime's stack trace", () => {
    const recorded = { errorType: 'Exception', errorMessage: 'boom', stackTrace: ['  File "handler.py"'], requestId: '<uuid:1>' };
    expect(difference(recorded, JSON.stringify({ errorType: 'Exception', errorMessage: 'boom', trace: ['at handler'] }))).toBeUndefined();
    expect(difference(recorded, JSON.stringify({ errorType: 'Exception', errorMessage: 'other' }))).toMatch(/errorMessage/);
    expect(difference(recorded, JSON.stringify({ errorType: 'TypeError', errorMessage: 'boom' }))).toMatch(/errorType/);
  });
});
