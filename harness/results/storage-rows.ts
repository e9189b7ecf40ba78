/**
 * The cells whose functions used storage, one row each: the storage time and, per measured
 * run, the calls and bytes (CellResult.storageIo). Shared by the CLI's summary and the report.
 */
import type { CellResult } from './schema.ts';

export const STORAGE_HEADER = [
  'workload',
  'platform',
  'storage p50 (µs)',
  'object puts',
  'gets',
  'lists',
  'bytes written',
  'bytes read',
  'item puts',
  'gets',
  'queries',
  'items read',
] as const;

/** Per measured run; the time is the median over the invocations that used storage. */
export function storageRows(cells: readonly CellResult[]): string[][] {
  const n = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
  return cells.flatMap((cell) => {
    const io = cell.storageIo;
    if (!io) return [];
    const us = cell.summary.storageUs;
    return [
      [
        cell.workload,
        cell.platform,
        us ? String(Math.round(us.p50)) : '',
        n(io.objectPuts),
        n(io.objectGets),
        n(io.objectLists),
        n(io.putBytes),
        n(io.getBytes),
        n(io.itemPuts),
        n(io.itemGets),
        n(io.itemQueries),
        n(io.itemsRead),
      ],
    ];
  });
}
