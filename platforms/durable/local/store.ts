/**
 * Where the local host keeps instances when given a store directory: one append-only
 * file per instance, one JSON line per record, each append fsync'd before the host
 * acts on it. Records: `created` (name, input, parent), `message` (an event waiting for
 * an episode: an activity result, a timer, a raised event) and `commit` (what an
 * episode added to the history, with the host's bookkeeping). A torn last line (a
 * crash mid-append) is ignored: its write was never acknowledged.
 *
 * Without a directory the host keeps instances in memory only.
 */
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryEvent } from './history.ts';
import type { StoredCommit } from './instance.ts';

export type StoreRecord =
  | {
      readonly created: {
        readonly id: string;
        readonly name: string;
        readonly input: string;
        readonly parent?: { readonly id: string; readonly seq: number };
        readonly createdTime: string;
      };
    }
  | { readonly message: HistoryEvent }
  | { readonly commit: StoredCommit };

export interface StoredInstance {
  readonly created: Extract<StoreRecord, { created: unknown }>['created'];
  readonly messages: HistoryEvent[];
  readonly commits: StoredCommit[];
}

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
      writeSync(fd, `${lineOf(record)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Every stored instance, in creation order. */
  load(): StoredInstance[] {
    if (!this.dir) return [];
    const instances: StoredInstance[] = [];
    for (const file of readdirSync(this.dir).filter((f) => f.endsWith('.jsonl'))) {
      const lines = readFileSync(join(this.dir, file), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0);
      let created: StoredInstance['created'] | undefined;
      const messages: HistoryEvent[] = [];
      const commits: StoredInstance['commits'] = [];
      for (const [i, line] of lines.entries()) {
        let record: StoreRecord;
        try {
          record = reviveRecord(JSON.parse(line) as Record<string, unknown>);
        } catch (error) {
          if (i === lines.length - 1) break; // torn last append
          throw new Error(`${join(this.dir, file)}: line ${i + 1} is not JSON: ${(error as Error).message}`);
        }
        if ('created' in record) created = record.created;
        else if ('message' in record) messages.push(record.message);
        else commits.push(record.commit);
      }
      if (created) instances.push({ created, messages, commits });
    }
    return instances.sort((a, b) => a.created.createdTime.localeCompare(b.created.createdTime));
  }

  remove(instanceId: string): void {
    if (this.dir) rmSync(this.fileOf(instanceId), { force: true });
  }

  /** Makes sure a file that is not there yet starts clean (no leftovers of an earlier id). */
  reset(instanceId: string): void {
    if (this.dir) appendFileSync(this.fileOf(instanceId), '', { flag: 'w' });
  }

  private fileOf(instanceId: string): string {
    return join(this.dir!, `${encodeURIComponent(instanceId)}.jsonl`);
  }
}

/*
 * Payloads (an event's Result and Input, an instance's input) are JSON text already;
 * a store line embeds them as JSON under `$Name` instead of escaping them into a string
 * again, which for payloads of megabytes costs more than the write itself.
 */

function lineOf(record: StoreRecord): string {
  if ('message' in record) return `{"message":${eventJson(record.message)}}`;
  if ('commit' in record) {
    const { started, consumed, events, snapshot } = record.commit;
    const head = JSON.stringify({ ...(started ? { started } : {}), consumed, snapshot }).slice(0, -1);
    return `{"commit":${head},"events":[${events.map(eventJson).join(',')}]}}`;
  }
  const { input, ...rest } = record.created;
  return `{"created":${withRaw(JSON.stringify(rest), { input })}}`;
}

function eventJson(e: HistoryEvent): string {
  const { Result, Input, ...rest } = e;
  return withRaw(JSON.stringify(rest), { Result, Input });
}

/** `json` (an object's JSON) with each payload text added as raw JSON under `$name` ('' and absent ones as they are). */
function withRaw(json: string, payloads: Readonly<Record<string, string | undefined>>): string {
  let fields = '';
  for (const [name, text] of Object.entries(payloads)) {
    if (text === undefined) continue;
    fields += text === '' ? `,"${name}":""` : `,"$${name}":${text}`;
  }
  return json === '{}' ? `{${fields.slice(1)}}` : `${json.slice(0, -1)}${fields}}`;
}

function reviveRecord(json: Record<string, unknown>): StoreRecord {
  const revive = (o: Record<string, unknown>) => {
    for (const key of Object.keys(o)) {
      if (!key.startsWith('$')) continue;
      o[key.slice(1)] = JSON.stringify(o[key]);
      delete o[key];
    }
    return o;
  };
  if ('message' in json) revive(json['message'] as Record<string, unknown>);
  else if ('commit' in json) (json['commit'] as { events: Record<string, unknown>[] }).events.forEach(revive);
  else revive(json['created'] as Record<string, unknown>);
  return json as unknown as StoreRecord;
}
