/**
 * Storage for functions in the harness's own memory: the in-process platforms' backend
 * (inline, the oracle). Bodies are copied in and out, as a store across a wire would, so
 * a function that changes what it wrote or read changes nothing stored.
 */
import { StorageKeyMissing, type NoSqlItem, type NoSqlStorage, type ObjectStorage, type StorageSpec } from '../model/index.ts';

export interface MemoryStorage {
  readonly objects: ObjectStorage;
  readonly items: NoSqlStorage;
  /** Bytes held, for tests. */
  readonly sizeBytes: () => number;
}

export function memoryStorage(spec: StorageSpec): MemoryStorage {
  const objects = new Map<string, Uint8Array>(Object.entries(spec.objects).map(([key, body]) => [key, body.slice()]));
  const tables = new Map<string, Map<string, Map<string, NoSqlItem>>>(spec.tables.map((t) => [t, new Map()]));
  const table = (name: string): Map<string, Map<string, NoSqlItem>> => {
    const found = tables.get(name);
    if (!found) throw new Error(`storage: no table '${name}' (the workload's storage names ${spec.tables.join(', ') || 'none'})`);
    return found;
  };
  return {
    objects: {
      put: async (key, body) => void objects.set(key, body.slice()),
      get: async (key) => {
        const body = objects.get(key);
        if (!body) throw new StorageKeyMissing(key);
        return body.slice();
      },
      list: async (prefix) => [...objects.keys()].filter((k) => k.startsWith(prefix)).sort(byBytes),
    },
    items: {
      put: async (name, key, item) => {
        const partitions = table(name);
        const partition = partitions.get(key.partition) ?? new Map<string, NoSqlItem>();
        partitions.set(key.partition, partition);
        partition.set(key.sort, { ...item });
      },
      get: async (name, key) => {
        const item = table(name).get(key.partition)?.get(key.sort);
        return item ? { ...item } : undefined;
      },
      query: async (name, partition) =>
        [...(table(name).get(partition) ?? new Map<string, NoSqlItem>())]
          .sort(([a], [b]) => byBytes(a, b))
          .map(([sort, item]) => ({ sort, item: { ...item } })),
    },
    sizeBytes: () => [...objects.values()].reduce((n, b) => n + b.byteLength, 0),
  };
}

/** S3 and Table storage order keys by their UTF-8 bytes; for Baton's ASCII keys, by code unit. */
export function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
