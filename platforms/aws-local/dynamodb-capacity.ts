/**
 * DynamoDB's capacity rules, for what Baton's AWS adapters bill: an item's size is the
 * sum of its attribute names (UTF-8) and values; a write consumes one unit per 1 KB of
 * the larger of the item before and after (at least one), a strongly consistent read one
 * unit per 4 KB (half that eventually consistent), a transactional operation twice as
 * much; a Query or a batch sums its items' sizes. A conditional write whose condition
 * fails still consumes the write. Source:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

const KB = 1024;

/** Bytes of a number as DynamoDB stores it: about one byte per two significant digits, plus one. */
function numberBytes(text: string): number {
  const digits = text.replace(/^[-+]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length === 0 ? 1 : Math.ceil(digits.length / 2) + 1;
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.length, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  if (value.M !== undefined) return 3 + itemSizeBytes(value.M) + Object.keys(value.M).length;
  return 0;
}

export function itemSizeBytes(item: Readonly<Record<string, AttributeValue>>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

/** Write units of a write whose item is `sizeBytes` (the larger of before and after). */
export function writeUnits(sizeBytes: number, transactional = false): number {
  return Math.max(1, Math.ceil(sizeBytes / KB)) * (transactional ? 2 : 1);
}

/** Read units of reading `sizeBytes` (a missing item still costs one). */
export function readUnits(sizeBytes: number, consistent: boolean, transactional = false): number {
  const units = Math.max(1, Math.ceil(sizeBytes / (4 * KB)));
  return (consistent ? units : units / 2) * (transactional ? 2 : 1);
}
