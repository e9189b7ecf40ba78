/**
 * What a function sees as `ctx.storage` (objects) and `ctx.nosql` (items): the app's
 * durable store, with every call checked, counted and timed into the invocation's record.
 *
 * The rules are Baton's storage rules for functions (harness/model/storage.ts), written
 * here again because the runtime stands alone; platforms/reference/storage-rules.test.ts
 * holds the two to the same verdicts, so a workload that runs here runs on every platform.
 */
import type { FileStore, StoredItem } from './file-store.ts';

/** Counts and time of one invocation's storage calls (the shape Baton's records use). */
export interface StorageIo {
  /** Time with at least one storage call in flight, µs. */
  us: number;
  objectPuts: number;
  objectGets: number;
  objectLists: number;
  putBytes: number;
  getBytes: number;
  itemPuts: number;
  itemGets: number;
  itemQueries: number;
  itemsRead: number;
}

export function newStorageIo(): StorageIo {
  return { us: 0, objectPuts: 0, objectGets: 0, objectLists: 0, putBytes: 0, getBytes: 0, itemPuts: 0, itemGets: 0, itemQueries: 0, itemsRead: 0 };
}

export function storageIoUsed(io: StorageIo): boolean {
  return io.objectPuts + io.objectGets + io.objectLists + io.itemPuts + io.itemGets + io.itemQueries > 0;
}

const PART = '[A-Za-z0-9._-]{0,199}[A-Za-z0-9_-]';
const KEY = new RegExp(`^${PART}(/${PART})*$`);
const NAME = new RegExp(`^${PART}$`);
const MAX_KEY_LENGTH = 512;
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_ITEM_ATTRIBUTES = 200;
const MAX_ITEM_BYTES = 64 * 1024;
const MAX_STRING_UNITS = 32 * 1024;

/** A call no Baton backend allows: the invocation fails, naming the rule. */
export class StorageRuleError extends Error {
  constructor(message: string) {
    super(`storage: ${message}`);
    this.name = 'StorageUsageError';
  }
}

export function checkKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH || !KEY.test(key))
    throw new StorageRuleError(
      `object key '${key.slice(0, 80)}' must be at most ${MAX_KEY_LENGTH} of A-Z a-z 0-9 . _ - in /-separated parts of at most 200, none ending in a dot`,
    );
}

export function checkPrefix(prefix: string): void {
  if (prefix !== '' && (prefix.length > MAX_KEY_LENGTH || !/^[A-Za-z0-9._/-]+$/.test(prefix)))
    throw new StorageRuleError(`list prefix '${prefix.slice(0, 80)}' must be A-Z a-z 0-9 . _ - /`);
}

export function checkName(what: 'table name' | 'partition key' | 'sort key', name: string): void {
  if (!NAME.test(name)) throw new StorageRuleError(`${what} '${name}' must be 1-200 of A-Z a-z 0-9 . _ -, not ending in a dot`);
}

export function checkItem(item: StoredItem): void {
  const names = Object.keys(item);
  if (names.length > MAX_ITEM_ATTRIBUTES) throw new StorageRuleError(`an item has ${names.length} attributes; at most ${MAX_ITEM_ATTRIBUTES}`);
  for (const [name, value] of Object.entries(item)) {
    if (!ATTRIBUTE.test(name)) throw new StorageRuleError(`attribute name '${name}' must start with a letter and be at most 64 of A-Z a-z 0-9 _`);
    const type = typeof value;
    if (type !== 'string' && type !== 'boolean' && !(type === 'number' && Number.isFinite(value)))
      throw new StorageRuleError(`attribute '${name}' must be a string, a boolean or a finite number`);
    if (type === 'string' && (value as string).length > MAX_STRING_UNITS)
      throw new StorageRuleError(`attribute '${name}' is a string of ${(value as string).length} UTF-16 units; at most ${MAX_STRING_UNITS} (64 KiB)`);
  }
  const sizeBytes = Buffer.byteLength(JSON.stringify(item));
  if (sizeBytes > MAX_ITEM_BYTES) throw new StorageRuleError(`an item is ${sizeBytes} bytes as JSON; at most ${MAX_ITEM_BYTES}`);
}

interface ItemKey {
  readonly partition: string;
  readonly sort: string;
}

/** The pair a function gets; every call adds to `io`. Rule breaks are rejections, as a store's refusal would be. */
export function functionStorage(store: FileStore, io: StorageIo) {
  // Calls a function makes at once (Promise.all) overlap: the time any is in flight counts once.
  let inFlight = 0;
  let busySinceNs = 0n;
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    if (inFlight++ === 0) busySinceNs = process.hrtime.bigint();
    try {
      return await call();
    } finally {
      if (--inFlight === 0) io.us += Number(process.hrtime.bigint() - busySinceNs) / 1000;
    }
  };
  const checkItemKey = (table: string, key: ItemKey): void => {
    checkName('table name', table);
    checkName('partition key', key.partition);
    checkName('sort key', key.sort);
  };
  return {
    storage: {
      put: async (key: string, body: Uint8Array): Promise<void> => {
        checkKey(key);
        io.objectPuts++;
        io.putBytes += body.byteLength;
        return timed(() => store.put(key, body));
      },
      get: async (key: string): Promise<Uint8Array> => {
        checkKey(key);
        io.objectGets++;
        const body = await timed(() => store.get(key));
        io.getBytes += body.byteLength;
        return body;
      },
      list: async (prefix: string): Promise<string[]> => {
        checkPrefix(prefix);
        io.objectLists++;
        return timed(() => store.list(prefix));
      },
    },
    nosql: {
      put: async (table: string, key: ItemKey, item: StoredItem): Promise<void> => {
        checkItemKey(table, key);
        checkItem(item);
        io.itemPuts++;
        return timed(() => store.putItem(table, key.partition, key.sort, item));
      },
      get: async (table: string, key: ItemKey): Promise<StoredItem | undefined> => {
        checkItemKey(table, key);
        io.itemGets++;
        return timed(() => store.getItem(table, key.partition, key.sort));
      },
      query: async (table: string, partition: string): Promise<{ sort: string; item: StoredItem }[]> => {
        checkName('table name', table);
        checkName('partition key', partition);
        io.itemQueries++;
        const found = await timed(() => store.query(table, partition));
        io.itemsRead += found.length;
        return found;
      },
    },
  };
}
