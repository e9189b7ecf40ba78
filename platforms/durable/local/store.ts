/**
 * Where the local host keeps instances when given a store directory: one append-only
 * log per instance (orchestration or entity), each append fsync'd before the host acts
 * on it. Records: `created` (name, input, parent), `message` (an event waiting for an
 * episode: an activity result, a timer, a raised event) and `commit` (what an episode
 * added to the history, with the host's bookkeeping).
 *
 * Every record is one line, framed so that no input can break the log:
 *   `<crc32 of the JSON, 8 hex digits> <JSON>\n`
 * JSON text never holds a raw newline, and every payload is a JSON *string* inside the
 * record (never spliced in raw), so whatever a user sends is stored as data. On load:
 * - a last line that is torn (no newline, or its checksum fails) is a crash mid-append,
 *   never acknowledged: it is dropped and the file cut back to the last whole record, so
 *   the next append does not glue onto it;
 * - a bad record before the last is damage: that one instance is set aside (reported,
 *   its log left untouched for inspection) and the host serves all the others.
 *
 * Without a directory the host keeps instances in memory only.
 */
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { HistoryEvent } from './history.ts';
import type { CreatedRecord, EntityCommit, StoredCommit } from './records.ts';

export type StoreRecord =
  | { readonly created: CreatedRecord }
  | { readonly message: HistoryEvent }
  | { readonly commit: StoredCommit }
  | { readonly entityCommit: EntityCommit };

export interface StoredInstance {
  readonly created: CreatedRecord;
  readonly messages: HistoryEvent[];
  readonly commits: StoredCommit[];
  readonly entityCommits: EntityCommit[];
}

/** An instance whose log could not be read: the host leaves it out and says why. */
export interface DamagedLog {
  readonly file: string;
  readonly reason: string;
}

const SUFFIX = '.log';

export class InstanceStore {
  private readonly dir: string | undefined;

  constructor(dir: string | undefined) {
    this.dir = dir;
    if (dir) mkdirSync(dir, { recursive: true });
  }

  get durable(): boolean {
    return this.dir !== undefined;
  }

  append(instanceId: string, record: StoreRecord): void {
    if (!this.dir) return;
    const fd = openSync(this.fileOf(instanceId), 'a');
    try {
      writeSync(fd, frame(record));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Every readable stored instance in creation order, and the logs that could not be read. */
  load(): { instances: StoredInstance[]; damaged: DamagedLog[] } {
    if (!this.dir) return { instances: [], damaged: [] };
    const instances: StoredInstance[] = [];
    const damaged: DamagedLog[] = [];
    for (const file of readdirSync(this.dir).filter((f) => f.endsWith(SUFFIX))) {
      const path = join(this.dir, file);
      try {
        const instance = readLog(path);
        if (instance) instances.push(instance);
      } catch (error) {
        damaged.push({ file: path, reason: (error as Error).message });
      }
    }
    instances.sort((a, b) => a.created.createdTime.localeCompare(b.created.createdTime));
    return { instances, damaged };
  }

  remove(instanceId: string): void {
    if (this.dir) rmSync(this.fileOf(instanceId), { force: true });
  }

  /**
   * Replaces an instance's log with `records` in one step (written aside, fsync'd, renamed
   * over): a new instance under a used id, continueAsNew, a rewind. A crash leaves the old
   * log or the new one, never a mix.
   */
  replace(instanceId: string, records: readonly StoreRecord[]): void {
    if (!this.dir) return;
    const file = this.fileOf(instanceId);
    const aside = `${file}.${process.pid}.tmp`;
    const fd = openSync(aside, 'w');
    try {
      writeSync(fd, records.map(frame).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(aside, file);
    const dirFd = openSync(this.dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }

  private fileOf(instanceId: string): string {
    return join(this.dir!, `${encodeURIComponent(instanceId)}${SUFFIX}`);
  }
}

export function frame(record: StoreRecord): string {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
}

function checksum(json: string): string {
  return crc32(json).toString(16).padStart(8, '0');
}

/** Parses one framed line; undefined if it is not a whole, intact record. */
export function unframe(line: string): StoreRecord | undefined {
  if (line.length < 10 || line[8] !== ' ') return undefined;
  const json = line.slice(9);
  if (checksum(json) !== line.slice(0, 8)) return undefined;
  try {
    return JSON.parse(json) as StoreRecord;
  } catch {
    return undefined;
  }
}

/** Reads one instance's log, cutting a torn tail off the file; throws on damage before the tail. */
function readLog(path: string): StoredInstance | undefined {
  const bytes = readFileSync(path);
  let created: CreatedRecord | undefined;
  const messages: HistoryEvent[] = [];
  const commits: StoredCommit[] = [];
  const entityCommits: EntityCommit[] = [];
  let offset = 0;
  let line = 0;
  while (offset < bytes.length) {
    const end = bytes.indexOf(0x0a, offset);
    line++;
    const record = end < 0 ? undefined : unframe(bytes.toString('utf8', offset, end));
    if (!record) {
      const isTail = end < 0 || end === bytes.length - 1;
      if (!isTail) throw new Error(`${path}: record ${line} is damaged (its checksum or JSON does not hold); the instance is set aside`);
      // A torn last append: never acknowledged. Cut it off so the next append starts on a clean line.
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, offset);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      break;
    }
    if ('created' in record) created = record.created;
    else if ('message' in record) messages.push(record.message);
    else if ('commit' in record) commits.push(record.commit);
    else entityCommits.push(record.entityCommit);
    offset = end + 1;
  }
  return created ? { created, messages, commits, entityCommits } : undefined;
}
