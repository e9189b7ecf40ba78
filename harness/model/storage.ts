/**
 * Storage for functions, as SeBS offers its benchmarks: objects by key (S3, Blob storage)
 * and items by a partition and a sort key (DynamoDB, Table storage). One interface, a
 * backend per platform; a workload that uses it runs unchanged on each. Every backend
 * checks keys and items with the rules here, so a workload that runs on one runs on all.
 */
import { InputError } from './errors.ts';

/** Objects by key; one namespace per deployment, removed with it. */
export interface ObjectStorage {
  put(key: string, body: Uint8Array): Promise<void>;
  /** Rejects with `StorageKeyMissing` when no object has the key. */
  get(key: string): Promise<Uint8Array>;
  /** Every key that starts with the prefix, in ascending (byte) order. */
  list(prefix: string): Promise<string[]>;
}

/** An item's attributes: flat, as Table storage holds them. */
export type NoSqlItem = Readonly<Record<string, string | number | boolean>>;

export interface NoSqlKey {
  readonly partition: string;
  readonly sort: string;
}

/** Items in named tables, by partition and sort key; the tables exist from deploy to teardown. */
export interface NoSqlStorage {
  /** Writes the item, replacing any with the same key. */
  put(table: string, key: NoSqlKey, item: NoSqlItem): Promise<void>;
  get(table: string, key: NoSqlKey): Promise<NoSqlItem | undefined>;
  /** Every item of the partition, in ascending order of sort key. */
  query(table: string, partition: string): Promise<{ readonly sort: string; readonly item: NoSqlItem }[]>;
}

/** What a workflow needs of storage: the objects a deploy uploads before any run, as SeBS's input step does. */
export interface StorageSpec {
  readonly objects: Readonly<Record<string, Uint8Array>>;
  /** The tables its functions use. */
  readonly tables: readonly string[];
}

export class StorageKeyMissing extends Error {
  constructor(key: string) {
    super(`storage: no object has the key '${key}'`);
    this.name = 'StorageKeyMissing';
  }
}

/**
 * Keys every backend can hold as they are: S3 allows 1024 bytes of anything, Blob names
 * 1024 characters but not every character (and no part that is or ends in a dot, which
 * URLs and file systems resolve), so Baton keeps to letters, digits and `._-` in
 * /-separated parts of at most 200 characters, none empty or ending in a dot.
 */
const PART = '[A-Za-z0-9._-]{0,199}[A-Za-z0-9_-]';
const KEY = new RegExp(`^${PART}(/${PART})*$`);
export const MAX_KEY_LENGTH = 512;
/** Table names and partition and sort keys: what Table storage allows in its keys (no `/\#?`), as one such part. */
const NAME = new RegExp(`^${PART}$`);
/** An item's JSON text: well under Table storage's 1 MiB entity and DynamoDB's 400 KB item. */
export const MAX_ITEM_BYTES = 64 * 1024;
/** Table storage's property limit (252 plus its own keys), and DynamoDB's attribute names. */
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const MAX_ITEM_ATTRIBUTES = 200;
/** A string attribute: Table storage holds at most 64 KiB of UTF-16 in one property. */
export const MAX_STRING_UNITS = 32 * 1024;

export function checkObjectKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH || !KEY.test(key))
    throw new StorageUsageError(
      `object key '${key.slice(0, 80)}' must be at most ${MAX_KEY_LENGTH} of A-Z a-z 0-9 . _ - in /-separated parts of at most 200, none ending in a dot`,
    );
}

export function checkPrefix(prefix: string): void {
  if (prefix !== '' && (prefix.length > MAX_KEY_LENGTH || !/^[A-Za-z0-9._/-]+$/.test(prefix)))
    throw new StorageUsageError(`list prefix '${prefix.slice(0, 80)}' must be A-Z a-z 0-9 . _ - /`);
}

export function checkTableKey(table: string, key: NoSqlKey | { partition: string }): void {
  if (!NAME.test(table)) throw new StorageUsageError(`table name '${table}' must be 1-200 of A-Z a-z 0-9 . _ -, not ending in a dot`);
  if (!NAME.test(key.partition)) throw new StorageUsageError(`partition key '${key.partition}' must be 1-200 of A-Z a-z 0-9 . _ -, not ending in a dot`);
  if ('sort' in key && !NAME.test(key.sort)) throw new StorageUsageError(`sort key '${key.sort}' must be 1-200 of A-Z a-z 0-9 . _ -, not ending in a dot`);
}

export function checkItem(item: NoSqlItem): void {
  const names = Object.keys(item);
  if (names.length > MAX_ITEM_ATTRIBUTES) throw new StorageUsageError(`an item has ${names.length} attributes; at most ${MAX_ITEM_ATTRIBUTES}`);
  for (const [name, value] of Object.entries(item)) {
    if (!ATTRIBUTE.test(name)) throw new StorageUsageError(`attribute name '${name}' must start with a letter and be at most 64 of A-Z a-z 0-9 _`);
    const type = typeof value;
    if (type !== 'string' && type !== 'boolean' && !(type === 'number' && Number.isFinite(value)))
      throw new StorageUsageError(`attribute '${name}' must be a string, a boolean or a finite number`);
    if (type === 'string' && (value as string).length > MAX_STRING_UNITS)
      throw new StorageUsageError(`attribute '${name}' is a string of ${(value as string).length} UTF-16 units; at most ${MAX_STRING_UNITS} (64 KiB)`);
  }
  const sizeBytes = Buffer.byteLength(JSON.stringify(item));
  if (sizeBytes > MAX_ITEM_BYTES) throw new StorageUsageError(`an item is ${sizeBytes} bytes as JSON; at most ${MAX_ITEM_BYTES}`);
}

/** A function used storage in a way no backend allows: the run fails, naming the rule. */
export class StorageUsageError extends Error {
  constructor(message: string) {
    super(`storage: ${message}`);
    this.name = 'StorageUsageError';
  }
}

/** Checks a workload's storage spec before anything is deployed. */
export function checkStorageSpec(spec: StorageSpec, where: string): void {
  for (const key of Object.keys(spec.objects)) {
    try {
      checkObjectKey(key);
    } catch (error) {
      throw new InputError('E_BAD_INPUT', `${where}: ${(error as Error).message}`);
    }
  }
  for (const table of spec.tables)
    if (!NAME.test(table)) throw new InputError('E_BAD_INPUT', `${where}: table name '${table}' must be 1-200 of A-Z a-z 0-9 . _ -, not ending in a dot`);
}

/** What a function's storage calls cost it: counted and timed by the metering wrapper. */
export interface StorageIo {
  /** Time with at least one storage call in flight, µs (a part of the function's own run time; overlapping calls count once). */
  us: number;
  objectPuts: number;
  objectGets: number;
  objectLists: number;
  putBytes: number;
  getBytes: number;
  itemPuts: number;
  itemGets: number;
  itemQueries: number;
  /** Items returned by queries (DynamoDB bills reads by the data they return). */
  itemsRead: number;
}

export function newStorageIo(): StorageIo {
  return { us: 0, objectPuts: 0, objectGets: 0, objectLists: 0, putBytes: 0, getBytes: 0, itemPuts: 0, itemGets: 0, itemQueries: 0, itemsRead: 0 };
}

export function storageIoUsed(io: StorageIo): boolean {
  return io.objectPuts + io.objectGets + io.objectLists + io.itemPuts + io.itemGets + io.itemQueries > 0;
}

export function addStorageIo(into: StorageIo, io: Readonly<StorageIo>): void {
  for (const name of Object.keys(into) as (keyof StorageIo)[]) into[name] += io[name];
}

/**
 * Times calls that may overlap (a function that puts 16 objects at once): `io.us` grows by
 * the time at least one is in flight, so it never exceeds the function's own run time.
 */
export function busyTimer(io: { us: number }): <T>(call: () => Promise<T>) => Promise<T> {
  let inFlight = 0;
  let busySinceNs = 0n;
  return async (call) => {
    if (inFlight++ === 0) busySinceNs = process.hrtime.bigint();
    try {
      return await call();
    } finally {
      if (--inFlight === 0) io.us += Number(process.hrtime.bigint() - busySinceNs) / 1000;
    }
  };
}

/**
 * Wraps a backend so that every call is checked against the shared rules, timed and
 * counted into `io`. Platforms hand functions the wrapped pair; the function record
 * carries `io`.
 */
export function meteredStorage(objects: ObjectStorage, items: NoSqlStorage, io: StorageIo): { storage: ObjectStorage; nosql: NoSqlStorage } {
  const timed = busyTimer(io);
  // Async throughout, so that a broken rule is a rejection, as a backend's refusal would be.
  return {
    storage: {
      put: async (key, body) => {
        checkObjectKey(key);
        io.objectPuts++;
        io.putBytes += body.byteLength;
        return timed(() => objects.put(key, body));
      },
      get: async (key) => {
        checkObjectKey(key);
        io.objectGets++;
        const body = await timed(() => objects.get(key));
        io.getBytes += body.byteLength;
        return body;
      },
      list: async (prefix) => {
        checkPrefix(prefix);
        io.objectLists++;
        return timed(() => objects.list(prefix));
      },
    },
    nosql: {
      put: async (table, key, item) => {
        checkTableKey(table, key);
        checkItem(item);
        io.itemPuts++;
        return timed(() => items.put(table, key, item));
      },
      get: async (table, key) => {
        checkTableKey(table, key);
        io.itemGets++;
        return timed(() => items.get(table, key));
      },
      query: async (table, partition) => {
        checkTableKey(table, { partition });
        io.itemQueries++;
        const found = await timed(() => items.query(table, partition));
        io.itemsRead += found.length;
        return found;
      },
    },
  };
}
