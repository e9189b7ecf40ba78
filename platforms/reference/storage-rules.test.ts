/**
 * The runtime checks functions' storage calls with its own copy of Baton's rules (it
 * stands alone); here the two copies must give the same verdict on every case, so a
 * workload that runs on the reference runtime runs on every platform.
 */
import { describe, expect, it } from 'vitest';
import { checkItem, checkObjectKey, checkPrefix, checkTableKey, type NoSqlItem } from '../../harness/model/storage.ts';
import * as runtime from '../../reference-runtime/src/durable/function-storage.ts';

const verdict = (check: () => void): string => {
  try {
    check();
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
};

const KEYS = [
  'a',
  'a/b/c.json',
  'a//b',
  '/a',
  'a/',
  '.',
  '..',
  'a/../b',
  'a/b.',
  '.hidden/x',
  'x'.repeat(200),
  'x'.repeat(201),
  `${'x/'.repeat(256)}y`,
  'sp ace',
  'ü',
  '',
];
const NAMES = ['t', 'chr21', 'a.b', '.', 'a.', 'a/b', 'a#b', 'x'.repeat(200), 'x'.repeat(201), ''];
const ITEMS: NoSqlItem[] = [
  {},
  { n: 1, s: 'x', b: true },
  { '1bad': 1 },
  { n: Number.NaN },
  { big: 'x'.repeat(70_000) },
  { long: 'x'.repeat(32 * 1024) },
  { long: 'x'.repeat(32 * 1024 + 1) },
  Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`a${i}`, i])),
];

describe("the runtime's storage rules", () => {
  it("give the verdicts of Baton's rules on keys, prefixes, names and items", () => {
    for (const key of KEYS)
      expect(
        verdict(() => runtime.checkKey(key)),
        key,
      ).toBe(verdict(() => checkObjectKey(key)));
    for (const prefix of [...KEYS, 'a/b/'])
      expect(
        verdict(() => runtime.checkPrefix(prefix)),
        prefix,
      ).toBe(verdict(() => checkPrefix(prefix)));
    for (const name of NAMES) {
      expect(
        verdict(() => runtime.checkName('table name', name)),
        name,
      ).toBe(verdict(() => checkTableKey(name, { partition: 'p' })));
      expect(
        verdict(() => runtime.checkName('partition key', name)),
        name,
      ).toBe(verdict(() => checkTableKey('t', { partition: name })));
      expect(
        verdict(() => runtime.checkName('sort key', name)),
        name,
      ).toBe(verdict(() => checkTableKey('t', { partition: 'p', sort: name })));
    }
    for (const item of ITEMS) expect(verdict(() => runtime.checkItem(item))).toBe(verdict(() => checkItem(item)));
    // Not every verdict is the same one: the cases reach both sides of every rule.
    expect(new Set(KEYS.map((k) => verdict(() => checkObjectKey(k)) === 'ok'))).toEqual(new Set([true, false]));
    expect(new Set(ITEMS.map((i) => verdict(() => checkItem(i)) === 'ok'))).toEqual(new Set([true, false]));
  });
});
