/**
 * Unum's checkpoint protocol over one DynamoDB table, per session (partition key): an
 * instance's checkpoint is written once (a conditional put), fan-in branches mark
 * themselves in a set, one branch claims the right to invoke the aggregator, and the
 * last function writes the result. Every call is timed as a store read or write.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { UnumRecord } from './payload.ts';
import type { PartTimer } from './timing.ts';

type Item = Record<string, AttributeValue>;

export class SessionStore {
  private readonly db: DynamoDBClient;
  private readonly table: string;
  private readonly session: string;
  private readonly timer: PartTimer;

  constructor(db: DynamoDBClient, table: string, session: string, timer: PartTimer) {
    this.db = db;
    this.table = table;
    this.session = session;
    this.timer = timer;
  }

  key(sk: string): Item {
    return { pk: { S: this.session }, sk: { S: sk } };
  }

  /** The checkpointed output of `instance`, if it has one. */
  async checkpoint(instance: string): Promise<{ output: unknown } | undefined> {
    const found = await this.timer.time('storeRead', () =>
      this.db.send(new GetItemCommand({ TableName: this.table, Key: this.key(`cp/${instance}`), ConsistentRead: true })),
    );
    return found.Item ? { output: JSON.parse(found.Item['output']!.S!) } : undefined;
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
          this.db.send(new BatchGetItemCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } })),
        );
        for (const item of page.Responses?.[this.table] ?? []) found.set(item['sk']!.S!, JSON.parse(item['output']!.S!));
        keys = (page.UnprocessedKeys?.[this.table]?.Keys ?? []) as Item[];
      }
    }
    return instances.map((name) => {
      if (!found.has(`cp/${name}`)) throw new Error(`fan-in: checkpoint cp/${name} is missing`);
      return found.get(`cp/${name}`);
    });
  }

  /** Adds `index` to the fan-in's set of done branches; returns how many are done. */
  async markBranch(target: string, index: number): Promise<number> {
    const marked = await this.timer.time('storeWrite', () =>
      this.db.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: this.key(`fanin/${target}`),
          UpdateExpression: 'ADD done :i',
          ExpressionAttributeValues: { ':i': { NS: [String(index)] } },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return marked.Attributes?.['done']?.NS?.length ?? 0;
  }

  /** True for the one caller that claims the fan-in (its branches may all see it complete). */
  claimFanIn(target: string): Promise<boolean> {
    return this.putOnce(this.key(`fanin-fired/${target}`));
  }

  /** True the first time a marker is written (faults that hit an instance once). */
  markOnce(sk: string): Promise<boolean> {
    return this.putOnce(this.key(sk));
  }

  async count(counter: string): Promise<void> {
    await this.timer.time('storeWrite', () =>
      this.db.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: this.key('stats'),
          UpdateExpression: 'ADD #c :one',
          ExpressionAttributeNames: { '#c': counter },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      ),
    );
  }

  /** Every item of the session (checkpoints, marks, counters). */
  async items(): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.timer.time('storeRead', () =>
        this.db.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :s',
            ExpressionAttributeValues: { ':s': { S: this.session } },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Writes the session's result once; false if a duplicate of the last function wrote it. */
  writeResult(output: unknown, recordsJson: readonly string[]): Promise<boolean> {
    return this.putOnce({ ...this.key('result'), output: { S: JSON.stringify(output) }, records: { S: `[${recordsJson.join(',')}]` } });
  }

  async remove(sortKeys: readonly string[]): Promise<void> {
    for (let i = 0; i < sortKeys.length; i += 25) {
      const batch = sortKeys.slice(i, i + 25).map((sk) => ({ DeleteRequest: { Key: this.key(sk) } }));
      await this.timer.time('storeWrite', () => this.db.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: batch } })));
    }
  }

  /** Says the session failed, where the client looks (best effort: the invocation fails anyway). */
  async writeError(message: string): Promise<void> {
    await this.db.send(new PutItemCommand({ TableName: this.table, Item: { ...this.key('error'), message: { S: message } } })).catch(() => {});
  }

  private async putOnce(item: Item): Promise<boolean> {
    try {
      await this.timer.time('storeWrite', () =>
        this.db.send(new PutItemCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
