/**
 * The caller's side of storage for functions on AWS: at deploy, a bucket and a DynamoDB
 * table per workload table, all the deployment's own (`baton-TAG-storage`,
 * `baton-TAG-storage-TABLE`, tagged for `baton cleanup`), and the workload's objects
 * uploaded, as SeBS's input step does; at teardown, all of it removed.
 */
import { CreateBucketCommand, DeleteBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StorageSpec } from '../../harness/model/index.ts';
import { BATON_TAG } from './cleanup.ts';
import { createTable } from './dynamodb-table.ts';
import { FUNCTION_STORAGE_ENV, PARTITION_ATTRIBUTE, SORT_ATTRIBUTE, type FunctionStorageAddress } from './function-storage.ts';
import { s3Removal } from './store-removal.ts';

export interface StorageClients {
  readonly s3: S3Client;
  readonly db: DynamoDBClient;
  /** Locally, the stand-ins' endpoints (the functions need them); in the cloud, none. */
  readonly s3Endpoint?: string;
  readonly dynamoEndpoint?: string;
}

export interface DeployedStorage {
  readonly address: FunctionStorageAddress;
  /** What each function's environment gets. */
  readonly env: Readonly<Record<string, string>>;
  remove(): Promise<void>;
}

/** Uploads at most this many objects at once. */
const UPLOADS_IN_FLIGHT = 16;

export async function deployStorage(clients: StorageClients, tag: string, spec: StorageSpec): Promise<DeployedStorage> {
  const bucket = `baton-${tag}-storage`;
  const tables = Object.fromEntries(spec.tables.map((t) => [t, `baton-${tag}-storage-${t}`.slice(0, 255)]));
  const made: { bucket: boolean; tables: string[] } = { bucket: false, tables: [] };
  const remove = async (): Promise<void> => {
    const failures: Error[] = [];
    const attempt = (work: Promise<unknown>) => work.catch((error: Error) => void failures.push(error));
    if (made.bucket)
      await attempt(
        (async () => {
          await s3Removal(clients.s3, bucket).removePrefix('');
          await clients.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
        })(),
      );
    await Promise.all(made.tables.map((table) => attempt(clients.db.send(new DeleteTableCommand({ TableName: table })))));
    if (failures.length > 0) throw new Error(`storage for functions: could not remove all of it: ${failures.map((f) => f.message).join('; ')}`);
  };
  try {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    made.bucket = true;
    const entries = Object.entries(spec.objects);
    for (let i = 0; i < entries.length; i += UPLOADS_IN_FLIGHT)
      await Promise.all(
        entries
          .slice(i, i + UPLOADS_IN_FLIGHT)
          .map(([key, body]) => clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/octet-stream' }))),
      );
    for (const table of Object.values(tables)) {
      made.tables.push(table);
      await createTable(clients.db, table, { partition: PARTITION_ATTRIBUTE, sort: SORT_ATTRIBUTE }, { [BATON_TAG]: tag });
    }
  } catch (error) {
    await remove().catch(() => {}); // the deploy's own error is the one to report
    throw error;
  }
  const address: FunctionStorageAddress = {
    bucket,
    tables,
    ...(clients.s3Endpoint ? { s3Endpoint: clients.s3Endpoint } : {}),
    ...(clients.dynamoEndpoint ? { dynamoEndpoint: clients.dynamoEndpoint } : {}),
  };
  return { address, env: { [FUNCTION_STORAGE_ENV]: JSON.stringify(address) }, remove };
}
