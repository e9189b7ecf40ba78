/**
 * Unum's checkpoint protocol over one DynamoDB table, per session (partition key): an
 * instance's checkpoint is written once (a conditional put), fan-in branches mark
 * themselves in a set (the aggregator reads the branches' checkpoints), and the last
 * function writes the result. Every call is timed as a store read or write.
 */
import { randomUUID } from 'node:crypto';
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { itemSizeBytes, readUnits, writeUnits } from '../../aws-local/dynamodb-capacity.ts';
import type { UnumRecord } from './payload.ts';
import type { PartTimer } from './timing.ts';

type Item = Record<string, AttributeValue>;

/**
 * The capacity one invocation consumed: as Baton's model computes it from the items it
 * sent and got (harness/cost/dynamodb-capacity.ts, what the cost is priced from), and as
 * DynamoDB reported it (ReturnConsumedCapacity), to check the model against.
 */
export class Capacity {
  modelReadUnits = 0;
  modelWriteUnits = 0;
  reportedReadUnits = 0;
  reportedWriteUnits = 0;

  read(modelUnits: number, reported: { CapacityUnits?: number } | readonly { CapacityUnits?: number }[] | undefined): void {
    this.modelReadUnits += modelUnits;
    this.reportedReadUnits += reportedUnits(reported);
  }

  write(modelUnits: number, reported: { CapacityUnits?: number } | readonly { CapacityUnits?: number }[] | undefined): void {
    this.modelWriteUnits += modelUnits;
    this.reportedWriteUnits += reportedUnits(reported);
  }
}

function reportedUnits(reported: { CapacityUnits?: number } | readonly { CapacityUnits?: number }[] | undefined): number {
  if (!reported) return 0;
  return (Array.isArray(reported) ? reported : [reported]).reduce((sum: number, c: { CapacityUnits?: number }) => sum + (c.CapacityUnits ?? 0), 0);
}

const TOTAL = 'TOTAL' as const;

/** The partition where a session's invocations leave their bills. */
export function ledgerPartition(session: string): string {
  return `${session}#ledger`;
}

/** A late duplicate reading inputs that garbage collection has taken: the original ran to its end. */
export class InputsCollected extends Error {}

export class SessionStore {
  private readonly db: DynamoDBClient;
  private readonly table: string;
  private readonly session: string;
  private readonly timer: PartTimer;
  readonly capacity = new Capacity();

  constructor(db: DynamoDBClient, table: string, session: string, timer: PartTimer) {
    this.db = db;
    this.table = table;
    this.session = session;
    this.timer = timer;
  }

  key(sk: string): Item {
    return { pk: { S: this.session }, sk: { S: sk } };
  }

  /** The checkpointed output of `instance`, if it has one; `collected` once garbage collection took it. */
  async checkpoint(instance: string): Promise<{ output: unknown; record?: UnumRecord; collected?: true } | undefined> {
    const found = await this.timer.time('storeRead', () =>
      this.db.send(new GetItemCommand({ TableName: this.table, Key: this.key(`cp/${instance}`), ConsistentRead: true, ReturnConsumedCapacity: TOTAL })),
    );
    this.capacity.read(readUnits(found.Item ? itemSizeBytes(found.Item) : 0, true), found.ConsumedCapacity);
    if (!found.Item) return undefined;
    if (found.Item['collected']) return { output: undefined, collected: true };
    const record = found.Item['record']?.S;
    return { output: JSON.parse(found.Item['output']!.S!), ...(record ? { record: JSON.parse(record) as UnumRecord } : {}) };
  }

  /** Writes the checkpoint unless one exists; returns the output that won (this one, or a duplicate's). */
  async writeCheckpoint(instance: string, output: unknown, record: UnumRecord): Promise<{ output: unknown; won: boolean }> {
    const item = { ...this.key(`cp/${instance}`), output: { S: JSON.stringify(output) }, record: { S: JSON.stringify(record) } };
    if (await this.putOnce(item)) return { output, won: true };
    return { output: (await this.checkpoint(instance))!.output, won: false };
  }

  /** Reads checkpoints in batches of 100, retrying unprocessed keys; in the order asked. */
  async readCheckpoints(instances: readonly string[]): Promise<unknown[]> {
    const found = new Map<string, unknown>();
    for (let i = 0; i < instances.length; i += 100) {
      let keys = instances.slice(i, i + 100).map((name) => this.key(`cp/${name}`));
      while (keys.length > 0) {
        const page = await this.timer.time('storeRead', () =>
          this.db.send(new BatchGetItemCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } }, ReturnConsumedCapacity: TOTAL })),
        );
        const items = page.Responses?.[this.table] ?? [];
        // A batch read rounds each item up on its own.
        this.capacity.read(
          items.reduce((sum, item) => sum + readUnits(itemSizeBytes(item), true), 0),
          page.ConsumedCapacity,
        );
        for (const item of items) {
          // Collected: the instance that read these already ran to its end (it collects its inputs last).
          if (item['collected']) throw new InputsCollected(`fan-in: checkpoint ${item['sk']!.S!} was collected`);
          found.set(item['sk']!.S!, JSON.parse(item['output']!.S!));
        }
        keys = (page.UnprocessedKeys?.[this.table]?.Keys ?? []) as Item[];
      }
    }
    return instances.map((name) => {
      if (!found.has(`cp/${name}`)) throw new Error(`fan-in: checkpoint cp/${name} is missing`);
      return found.get(`cp/${name}`);
    });
  }

  /** Adds `index` to the fan-in's set of done branches; returns how many are done. */
  markBranch(target: string, index: number): Promise<number> {
    return this.addToSet(`fanin/${target}`, index);
  }

  /** Counts the `index`-th consumer of `instance`'s checkpoint; returns how many have counted themselves. */
  markConsumed(instance: string, index: number): Promise<number> {
    return this.addToSet(`gc/${instance}`, index);
  }

  /** Adds `index` to the number set of item `sk`; returns the set's size after. */
  private async addToSet(sk: string, index: number): Promise<number> {
    const marked = await this.timer.time('storeWrite', () =>
      this.db.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: this.key(sk),
          UpdateExpression: 'ADD done :i',
          ExpressionAttributeValues: { ':i': { NS: [String(index)] } },
          ReturnValues: 'ALL_NEW',
          ReturnConsumedCapacity: TOTAL,
        }),
      ),
    );
    this.capacity.write(writeUnits(itemSizeBytes(marked.Attributes ?? {})), marked.ConsumedCapacity);
    return marked.Attributes?.['done']?.NS?.length ?? 0;
  }

  /**
   * Collects a checkpoint: its output goes, a tombstone stays (so a late duplicate of the
   * instance stops). An update that removes the output consumes the units of the larger
   * item, before or after: the old one, which it returns.
   */
  async collectCheckpoint(instance: string): Promise<void> {
    const collected = await this.timer.time('storeWrite', () =>
      this.db.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: this.key(`cp/${instance}`),
          UpdateExpression: 'REMOVE #o, #r SET collected = :t',
          ExpressionAttributeNames: { '#o': 'output', '#r': 'record' },
          ExpressionAttributeValues: { ':t': { BOOL: true } },
          ReturnValues: 'ALL_OLD',
          ReturnConsumedCapacity: TOTAL,
        }),
      ),
    );
    const after = { ...this.key(`cp/${instance}`), collected: { BOOL: true } };
    this.capacity.write(writeUnits(Math.max(itemSizeBytes(collected.Attributes ?? {}), itemSizeBytes(after))), collected.ConsumedCapacity);
  }

  /** True if `instance` may crash at `point`: not there before, and fewer than `max` crashes so far (recorded atomically). */
  async markCrash(instance: string, point: string, max: number): Promise<boolean> {
    const item = this.key(`crash/${instance}`);
    try {
      const marked = await this.timer.time('storeWrite', () =>
        this.db.send(
          new UpdateItemCommand({
            TableName: this.table,
            Key: item,
            UpdateExpression: 'ADD points :p',
            ConditionExpression: 'attribute_not_exists(points) OR (NOT contains(points, :name) AND size(points) < :max)',
            ExpressionAttributeValues: { ':p': { SS: [point] }, ':name': { S: point }, ':max': { N: String(max) } },
            ReturnValues: 'ALL_NEW',
            ReturnConsumedCapacity: TOTAL,
          }),
        ),
      );
      this.capacity.write(writeUnits(itemSizeBytes(marked.Attributes ?? {})), marked.ConsumedCapacity);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        this.capacity.write(1, undefined);
        return false;
      }
      throw error;
    }
  }

  async count(counter: string): Promise<void> {
    const counted = await this.timer.time('storeWrite', () =>
      this.db.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: this.key('stats'),
          UpdateExpression: 'ADD #c :one',
          ExpressionAttributeNames: { '#c': counter },
          ExpressionAttributeValues: { ':one': { N: '1' } },
          ReturnValues: 'ALL_NEW',
          ReturnConsumedCapacity: TOTAL,
        }),
      ),
    );
    this.capacity.write(writeUnits(itemSizeBytes(counted.Attributes ?? {})), counted.ConsumedCapacity);
  }

  /**
   * Leaves one invocation's bill in the session's ledger (Baton's bookkeeping, outside the
   * model: not counted itself, written after the invocation's work, one item per
   * invocation in a partition of its own, so no two invocations contend for an item and
   * the session's own queries never see it).
   */
  async writeLedger(entry: Readonly<Record<string, number>>, record: UnumRecord | undefined): Promise<void> {
    const item: Item = { pk: { S: ledgerPartition(this.session) }, sk: { S: randomUUID() } };
    for (const [name, value] of Object.entries(entry)) item[name] = { N: String(value) };
    if (record) item['record'] = { S: JSON.stringify(record) };
    await this.db.send(new PutItemCommand({ TableName: this.table, Item: item }));
  }

  /** Writes the session's result once; false if a duplicate of the last function wrote it. */
  writeResult(output: unknown): Promise<boolean> {
    return this.putOnce({ ...this.key('result'), output: { S: JSON.stringify(output) } });
  }

  /** Says the session failed, where the client looks (best effort: the invocation fails anyway). */
  async writeError(message: string): Promise<void> {
    await this.db.send(new PutItemCommand({ TableName: this.table, Item: { ...this.key('error'), message: { S: message } } })).catch(() => {});
  }

  /** A conditional put; its write units are consumed whether or not the condition holds. */
  private async putOnce(item: Item): Promise<boolean> {
    const units = writeUnits(itemSizeBytes(item));
    try {
      const put = await this.timer.time('storeWrite', () =>
        this.db.send(new PutItemCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)', ReturnConsumedCapacity: TOTAL })),
      );
      this.capacity.write(units, put.ConsumedCapacity);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        this.capacity.write(units, undefined);
        return false;
      }
      throw error;
    }
  }
}
