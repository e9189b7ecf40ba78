/**
 * The runtime's durable store, for what functions keep beyond a session (Pheromone keeps
 * it in a durable key-value store beside its in-memory buckets): objects by key and items
 * by table, partition and sort key, as files under one directory that every node of the
 * app reaches (a directory on this machine for a local cluster; a shared file system
 * across machines).
 *
 * Layout: `objects/<key parts>@` and `tables/<table>/<partition>/<sort>@`. The `@` that
 * ends every stored file is a character no key part may hold, so an object `a` and the
 * folder of `a/b` never collide, and half-written files (in `tmp/`) are never read:
 * every write goes to `tmp/` and is renamed into place, so a reader on another node sees
 * the old body or the new one, never a torn one, and the last writer wins.
 *
 * The calls are synchronous on purpose: an executor thread runs one function at a time,
 * and a file call on tmpfs takes ~10-20 µs where the promise API's trip through libuv's
 * thread pool takes ~0.2-0.7 ms on a 2-vCPU VM (measured: 1000 readFile calls, 11 ms
 * sync, 740 ms async). The methods still return promises, as a remote store's would.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type StoredItem = Readonly<Record<string, string | number | boolean>>;

/** No object has the key: named as Baton's storage interface names it, so callers can tell it from a failure. */
export class StoredKeyMissing extends Error {
  constructor(key: string) {
    super(`storage: no object has the key '${key}'`);
    this.name = 'StorageKeyMissing';
  }
}

const SUFFIX = '@';

export class FileStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Makes the store's folders and tables; a store that exists is kept as it is. */
  async create(tables: readonly string[]): Promise<void> {
    mkdirSync(join(this.dir, 'tmp'), { recursive: true });
    mkdirSync(join(this.dir, 'objects'), { recursive: true });
    for (const table of tables) mkdirSync(join(this.dir, 'tables', table), { recursive: true });
  }

  async remove(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    this.write(join(this.dir, 'objects', ...key.split('/')) + SUFFIX, body);
  }

  async get(key: string): Promise<Uint8Array> {
    const body = readIfThere(join(this.dir, 'objects', ...key.split('/')) + SUFFIX);
    if (!body) throw new StoredKeyMissing(key);
    return body;
  }

  /** Every key that starts with `prefix`, in byte order; only folders the prefix can reach are read. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = (folder: string, path: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          const inner = `${path}${entry.name}/`;
          if (inner.startsWith(prefix) || prefix.startsWith(inner)) walk(join(folder, entry.name), inner);
        } else if (entry.name.endsWith(SUFFIX)) {
          const key = path + entry.name.slice(0, -SUFFIX.length);
          if (key.startsWith(prefix)) keys.push(key);
        }
      }
    };
    walk(join(this.dir, 'objects'), '');
    return keys.sort(byBytes);
  }

  async putItem(table: string, partition: string, sort: string, item: StoredItem): Promise<void> {
    this.tableFolder(table);
    this.write(join(this.dir, 'tables', table, partition, sort + SUFFIX), new TextEncoder().encode(JSON.stringify(item)));
  }

  async getItem(table: string, partition: string, sort: string): Promise<StoredItem | undefined> {
    this.tableFolder(table);
    return this.readItem(table, partition, sort);
  }

  /** Every item of the partition, in byte order of sort key. */
  async query(table: string, partition: string): Promise<{ sort: string; item: StoredItem }[]> {
    const folder = join(this.tableFolder(table), partition);
    let names: string[];
    try {
      names = readdirSync(folder).filter((n) => n.endsWith(SUFFIX));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const sorts = names.map((n) => n.slice(0, -SUFFIX.length)).sort(byBytes);
    const found: { sort: string; item: StoredItem }[] = [];
    for (const sort of sorts) {
      const item = this.readItem(table, partition, sort);
      if (item) found.push({ sort, item }); // gone between the listing and the read: not there
    }
    return found;
  }

  private readItem(table: string, partition: string, sort: string): StoredItem | undefined {
    const body = readIfThere(join(this.dir, 'tables', table, partition, sort + SUFFIX));
    return body ? (JSON.parse(new TextDecoder().decode(body)) as StoredItem) : undefined;
  }

  private tableFolder(table: string): string {
    const folder = join(this.dir, 'tables', table);
    try {
      if (statSync(folder).isDirectory()) return folder;
    } catch {
      // no such table: said below
    }
    throw new Error(`storage: no table '${table}' in this app's store (its tables are made at deploy)`);
  }

  private write(path: string, body: Uint8Array): void {
    const temporary = join(this.dir, 'tmp', randomBytes(8).toString('hex'));
    writeFileSync(temporary, body);
    try {
      mkdirSync(dirname(path), { recursive: true });
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}

function readIfThere(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** S3 and Table storage order keys by their UTF-8 bytes; for these ASCII keys, by code unit. */
function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
