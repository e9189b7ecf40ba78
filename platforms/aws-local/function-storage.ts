/**
 * Storage for functions on AWS, as SeBS's AWS backend gives its benchmarks: objects in an S3
 * bucket of the deployment's own, items in DynamoDB tables of its own (one per workload
 * table), through the unmodified SDK clients. This side runs inside the functions (their
 * role's rights); the adapters make and remove the bucket and tables
 * (function-storage-setup.ts) and put where they are in each function's environment.
 *
 * What each invocation's calls cost is billed as AWS bills them: one S3 request per put,
 * get and list page; DynamoDB write units by item size, strongly consistent read units by
 * the bytes read (dynamodb-capacity.ts), beside the units DynamoDB reported.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { StorageKeyMissing, type NoSqlItem, type NoSqlStorage, type ObjectStorage } from '../../harness/model/index.ts';
import { itemSizeBytes, readUnits, writeUnits } from './dynamodb-capacity.ts';

/** Where a deployment's storage is: what each function gets in `BATON_FUNCTION_STORAGE`. */
export interface FunctionStorageAddress {
  readonly bucket: string;
  /** The workload's table names -> the deployment's DynamoDB tables. */
  readonly tables: Readonly<Record<string, string>>;
  /** On the local target, the stand-ins' endpoints; in the cloud, the SDK's defaults for the region. */
  readonly s3Endpoint?: string;
  readonly dynamoEndpoint?: string;
}

export const FUNCTION_STORAGE_ENV = 'BATON_FUNCTION_STORAGE';

/** What backs ctx.storage and ctx.nosql on the AWS adapters, as `baton platforms` shows it. */
export const FUNCTION_STORAGE = {
  objects: "an S3 bucket of the deployment's own",
  items: "DynamoDB tables of the deployment's own (on-demand; strongly consistent reads)",
};

/**
 * The partition and sort key attributes: they start with `_`, which an item's own
 * attribute names cannot (harness/model/storage.ts), so the two never collide.
 */
export const PARTITION_ATTRIBUTE = '_pk';
export const SORT_ATTRIBUTE = '_sk';

/** What one invocation's storage calls are billed for. */
export interface StorageBill {
  storageS3Puts: number;
  storageS3Gets: number;
  /** List requests: S3 bills them as PUT-tier requests. */
  storageS3Lists: number;
  storageReadUnits: number;
  storageWriteUnits: number;
  storageReportedReadUnits: number;
  storageReportedWriteUnits: number;
}

export function newStorageBill(): StorageBill {
  return {
    storageS3Puts: 0,
    storageS3Gets: 0,
    storageS3Lists: 0,
    storageReadUnits: 0,
    storageWriteUnits: 0,
    storageReportedReadUnits: 0,
    storageReportedWriteUnits: 0,
  };
}

/** The usage lines of a run's storage calls (the bills of all its invocations). */
export function storageBillUsage(bills: readonly Partial<StorageBill>[]): { usage: Record<string, number>; reported: Record<string, number> } {
  const total = (name: keyof StorageBill) => bills.reduce((sum, b) => sum + (b[name] ?? 0), 0);
  return {
    usage: {
      'aws.s3.putRequest': total('storageS3Puts') + total('storageS3Lists'),
      'aws.s3.getRequest': total('storageS3Gets'),
      'aws.dynamodb.readRequestUnit': total('storageReadUnits'),
      'aws.dynamodb.writeRequestUnit': total('storageWriteUnits'),
    },
    reported: { 'aws.dynamodb.readRequestUnit': total('storageReportedReadUnits'), 'aws.dynamodb.writeRequestUnit': total('storageReportedWriteUnits') },
  };
}

export interface AwsFunctionStorage {
  /** The backend for one invocation: its calls are billed into `bill`. */
  for(bill: StorageBill): { readonly objects: ObjectStorage; readonly items: NoSqlStorage };
}

/** The storage named in the function's environment, if its workflow declares any; clients made once per instance. */
export function functionStorageFromEnv(env: NodeJS.ProcessEnv): AwsFunctionStorage | undefined {
  const text = env[FUNCTION_STORAGE_ENV];
  if (!text) return undefined;
  const address = JSON.parse(text) as FunctionStorageAddress;
  // Credentials and region come from the environment, where Lambda (and its local stand-in) puts the function's.
  const s3 = new S3Client({ ...(address.s3Endpoint ? { endpoint: address.s3Endpoint, forcePathStyle: true } : {}) });
  const db = new DynamoDBClient({ ...(address.dynamoEndpoint ? { endpoint: address.dynamoEndpoint } : {}) });
  return { for: (bill) => ({ objects: objectsIn(s3, address.bucket, bill), items: itemsIn(db, address.tables, bill) }) };
}

export function objectsIn(s3: S3Client, bucket: string, bill: StorageBill): ObjectStorage {
  return {
    put: async (key, body) => {
      bill.storageS3Puts++;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/octet-stream' }));
    },
    get: async (key) => {
      bill.storageS3Gets++;
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await object.Body!.transformToByteArray();
      } catch (error) {
        if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') throw new StorageKeyMissing(key);
        throw error;
      }
    },
    // ListObjects (version 1), paged by the last key: s3rver cannot page ListObjectsV2 on Node 17+ (store-removal.ts).
    list: async (prefix) => {
      const keys: string[] = [];
      let marker: string | undefined;
      for (;;) {
        bill.storageS3Lists++;
        const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: marker }));
        const found = (page.Contents ?? []).map((o) => o.Key!);
        keys.push(...found);
        if (!page.IsTruncated || found.length === 0) return keys;
        marker = found[found.length - 1];
      }
    },
  };
}

export function itemsIn(db: DynamoDBClient, tables: Readonly<Record<string, string>>, bill: StorageBill): NoSqlStorage {
  const tableName = (table: string): string => {
    const name = tables[table];
    if (!name) throw new Error(`storage: no table '${table}' (the workload's storage names ${Object.keys(tables).join(', ') || 'none'})`);
    return name;
  };
  const key = (partition: string, sort: string): Record<string, AttributeValue> => ({ [PARTITION_ATTRIBUTE]: { S: partition }, [SORT_ATTRIBUTE]: { S: sort } });
  return {
    put: async (table, { partition, sort }, item) => {
      const stored = { ...key(partition, sort), ...toAttributes(item) };
      // ReturnValues ALL_OLD: a write is billed by the larger of the item before and after.
      const answer = await db.send(new PutItemCommand({ TableName: tableName(table), Item: stored, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' }));
      bill.storageWriteUnits += writeUnits(Math.max(itemSizeBytes(stored), itemSizeBytes(answer.Attributes ?? {})));
      bill.storageReportedWriteUnits += answer.ConsumedCapacity?.CapacityUnits ?? 0;
    },
    // Strongly consistent reads: a function reads what the functions before it wrote.
    get: async (table, { partition, sort }) => {
      const answer = await db.send(
        new GetItemCommand({ TableName: tableName(table), Key: key(partition, sort), ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
      );
      bill.storageReadUnits += readUnits(answer.Item ? itemSizeBytes(answer.Item) : 0, true);
      bill.storageReportedReadUnits += answer.ConsumedCapacity?.CapacityUnits ?? 0;
      return answer.Item ? fromAttributes(answer.Item) : undefined;
    },
    query: async (table, partition) => {
      const found: { sort: string; item: NoSqlItem }[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName(table),
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': PARTITION_ATTRIBUTE },
            ExpressionAttributeValues: { ':pk': { S: partition } },
            ConsistentRead: true,
            ReturnConsumedCapacity: 'TOTAL',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        const items = page.Items ?? [];
        // A Query is billed by the summed size of the items it read, per page.
        bill.storageReadUnits += readUnits(
          items.reduce((sum, i) => sum + itemSizeBytes(i), 0),
          true,
        );
        bill.storageReportedReadUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
        for (const item of items) found.push({ sort: item[SORT_ATTRIBUTE]!.S!, item: fromAttributes(item) });
        start = page.LastEvaluatedKey;
      } while (start);
      return found;
    },
  };
}

function toAttributes(item: NoSqlItem): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      typeof value === 'string' ? { S: value } : typeof value === 'number' ? { N: String(value) } : { BOOL: value },
    ]),
  );
}

function fromAttributes(stored: Record<string, AttributeValue>): NoSqlItem {
  const item: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(stored)) {
    if (name === PARTITION_ATTRIBUTE || name === SORT_ATTRIBUTE) continue;
    if (value.S !== undefined) item[name] = value.S;
    else if (value.N !== undefined) item[name] = Number(value.N);
    else if (value.BOOL !== undefined) item[name] = value.BOOL;
  }
  return item;
}
