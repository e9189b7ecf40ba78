/**
 * Storage for functions on AWS, against the S3 stand-in and dynalite through the unmodified
 * SDK clients: what functions see (the shared interface, with S3's and DynamoDB's own
 * behaviour: paging, a missing key), what each call is billed for beside what DynamoDB
 * reported, and a deployment's storage made and removed whole.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meteredStorage, newStorageIo, StorageKeyMissing } from '../../harness/model/index.ts';
import { startLocalDynamo } from './dynamodb.ts';
import { startLocalS3 } from './s3.ts';
import { newLocalCredentials } from './credentials.ts';
import { deployStorage, type DeployedStorage } from './function-storage-setup.ts';
import { FUNCTION_STORAGE_ENV, functionStorageFromEnv, newStorageBill, storageBillUsage, type AwsFunctionStorage } from './function-storage.ts';

let stop: () => Promise<void>;
let s3: S3Client;
let db: DynamoDBClient;
let deployed: DeployedStorage;
let storage: AwsFunctionStorage;

beforeAll(async () => {
  const credentials = newLocalCredentials();
  const [localS3, dynamo] = await Promise.all([startLocalS3({ credentials }), startLocalDynamo({ credentials, createTableMs: 0 })]);
  s3 = new S3Client({ region: 'us-east-1', credentials, endpoint: localS3.url, forcePathStyle: true });
  db = new DynamoDBClient({ region: 'us-east-1', credentials, endpoint: dynamo.url });
  deployed = await deployStorage({ s3, db, s3Endpoint: localS3.url, dynamoEndpoint: dynamo.url }, '0123abcd', {
    objects: { 'input/a.txt': new TextEncoder().encode('hello') },
    tables: ['scores', 'other'],
  });
  // As a function sees it: its environment names the storage, its credentials are the role's.
  process.env['AWS_ACCESS_KEY_ID'] = credentials.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = credentials.secretAccessKey;
  process.env['AWS_REGION'] = 'us-east-1';
  storage = functionStorageFromEnv({ [FUNCTION_STORAGE_ENV]: deployed.env[FUNCTION_STORAGE_ENV] })!;
  stop = async () => {
    s3.destroy();
    db.destroy();
    await Promise.all([localS3.close(), dynamo.close()]);
  };
}, 60_000);
afterAll(() => stop());

describe('storage for functions on AWS', () => {
  it('reads what the deploy uploaded, names a missing key, and lists past a page of 1000 keys', async () => {
    const bill = newStorageBill();
    const { objects } = storage.for(bill);
    expect(new TextDecoder().decode(await objects.get('input/a.txt'))).toBe('hello');
    await expect(objects.get('input/none')).rejects.toBeInstanceOf(StorageKeyMissing);
    const keys = Array.from({ length: 1005 }, (_, i) => `many/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => objects.put(k, new Uint8Array([1]))));
    expect(await objects.list('many/')).toEqual(keys);
    expect(await objects.list('input/')).toEqual(['input/a.txt']);
    // Every request billed: 2 gets, 1005 puts, and the lists' pages (two for 1005 keys, one for the other).
    expect(bill).toMatchObject({ storageS3Gets: 2, storageS3Puts: 1005, storageS3Lists: 3 });
  }, 120_000);

  it('keeps items by partition and sort key, queries past a 1 MB page in sort order, and bills units by size', async () => {
    const bill = newStorageBill();
    const { items } = storage.for(bill);
    const big = 'x'.repeat(30_000);
    // 20 items of ~60 KB: a Query returns at most 1 MB a page.
    for (let i = 19; i >= 0; i--)
      await items.put('scores', { partition: 'chr21', sort: `rs${String(i).padStart(2, '0')}` }, { n: i, big, more: big, ok: i % 2 === 0 });
    await items.put('scores', { partition: 'chr21', sort: 'rs00' }, { n: 100, big, more: big, ok: true }); // replaces
    const found = await items.query('scores', 'chr21');
    expect(found.map((f) => f.sort)).toEqual(Array.from({ length: 20 }, (_, i) => `rs${String(i).padStart(2, '0')}`));
    expect(found[0]!.item).toEqual({ n: 100, big, more: big, ok: true });
    expect(found[1]!.item).toEqual({ n: 1, big, more: big, ok: false });
    expect(await items.get('scores', { partition: 'chr21', sort: 'rs05' })).toEqual({ n: 5, big, more: big, ok: false });
    expect(await items.get('scores', { partition: 'chr22', sort: 'rs05' })).toBeUndefined();
    expect(await items.query('other', 'chr21')).toEqual([]);
    await expect(items.put('nope', { partition: 'p', sort: 's' }, {})).rejects.toThrow(/no table 'nope'/);
    // Each put: ~60 KB, 59 write units; a read of one: 15 units (4 KB each, strongly consistent).
    expect(bill.storageWriteUnits).toBe(21 * 59);
    expect(bill.storageReadUnits).toBeGreaterThanOrEqual(Math.ceil((20 * 60_000) / 4096));
    // What DynamoDB reported for the same calls agrees with the model where it reports (puts and gets).
    expect(bill.storageReportedWriteUnits).toBe(bill.storageWriteUnits);
    const usage = storageBillUsage([bill]);
    expect(usage.usage['aws.dynamodb.writeRequestUnit']).toBe(21 * 59);
  });

  it('is what the metering wrapper measures, as a function gets it', async () => {
    const io = newStorageIo();
    const { objects, items } = storage.for(newStorageBill());
    const metered = meteredStorage(objects, items, io);
    await metered.storage.put('out/b', new Uint8Array(10));
    await metered.nosql.put('other', { partition: 'p', sort: 's' }, { n: 1 });
    expect(await metered.nosql.query('other', 'p')).toEqual([{ sort: 's', item: { n: 1 } }]);
    expect(io).toMatchObject({ objectPuts: 1, putBytes: 10, itemPuts: 1, itemQueries: 1, itemsRead: 1 });
  });

  it('removes the bucket and every table at teardown', async () => {
    await deployed.remove();
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    expect(buckets).not.toContain(deployed.address.bucket);
    expect((await db.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });
});
