/**
 * Where data travels when it does not travel in the state: an S3 bucket or a Redis
 * database (ElastiCache's role), behind one small interface. The adapter (for a run's
 * input and output) and the function handlers (for everything between) use the same code;
 * removing a run's data is the adapter's alone (store-removal.ts), so the functions' role
 * needs only to read and write.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';

export interface ValueStore {
  readonly kind: 's3' | 'redis';
  put(key: string, body: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** How a function (or the adapter) reaches the store: what the adapter puts in each function's environment. */
export interface StoreAddress {
  readonly kind: 's3' | 'redis';
  /** s3: the bucket. */
  readonly bucket?: string;
  /** s3 on the local target: the stand-in's endpoint (in the cloud, the SDK's default for the region). */
  readonly endpoint?: string;
  /** redis: `redis://:password@host:port` (or `rediss://` for ElastiCache with TLS). */
  readonly url?: string;
}

export function s3Store(client: S3Client, bucket: string, closeClient = true): ValueStore {
  return {
    kind: 's3',
    put: async (key, body) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/octet-stream' }));
    },
    get: async (key) => {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    },
    close: async () => {
      if (closeClient) client.destroy();
    },
  };
}

export function redisStore(url: string): ValueStore {
  // A failed connection fails the request that needed it, with the reason, instead of retrying for ever.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: true });
  // Connection errors reach the commands that fail on them; without a listener ioredis also prints each one.
  redis.on('error', () => {});
  return {
    kind: 'redis',
    put: async (key, body) => {
      await redis.set(key, body);
    },
    get: async (key) => {
      const body = await redis.getBuffer(key);
      if (body === null) throw new Error(`redis: no value under key ${key} (removed, or never written)`);
      return body;
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

/** The store at `address`, with an S3 client made the standard way (the function's role in the cloud). */
export function storeAt(address: StoreAddress): ValueStore {
  if (address.kind === 'redis') return redisStore(address.url!);
  const client = new S3Client({ ...(address.endpoint ? { endpoint: address.endpoint } : {}), forcePathStyle: address.endpoint !== undefined });
  return s3Store(client, address.bucket!);
}
