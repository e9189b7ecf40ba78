import { expect, test } from 'vitest';
import { jsonSizeBytes } from './value.ts';

test('jsonSizeBytes is the length of the JSON text', () => {
  for (const value of [null, 0, -12.5, true, '', 'héllo', [], {}, [1, 'a', null], { a: 1, bcd: [true, { e: 'f' }], g: {} }, { $bytes: 'QUJD' }]) {
    expect(jsonSizeBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
  }
});
