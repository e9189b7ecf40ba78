/**
 * Removing what a run left in its store: the adapter's job (on the caller's side), after
 * each run and at teardown. Kept apart from value-store.ts so that the functions, which
 * only read and write, need no delete permission.
 */
import { DeleteObjectsCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';

export interface StoreRemoval {
  /** Deletes these keys (a run's, when it is over). */
  removeKeys(keys: readonly string[]): Promise<void>;
  /** Deletes every key under `prefix`; returns how many. */
  removePrefix(prefix: string): Promise<number>;
  close(): Promise<void>;
}

export function s3Removal(client: S3Client, bucket: string): StoreRemoval {
  return {
    removeKeys: async (keys) => {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000).map((Key) => ({ Key }));
        await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
      }
    },
    // ListObjects (version 1), paged by the last key: s3rver's ListObjectsV2 cannot page on
    // Node 17 and later (its continuation tokens use DES, which OpenSSL 3 no longer offers:
    // a 500 past the first 1000 keys). S3 answers both versions.
    removePrefix: async (prefix) => {
      let removed = 0;
      let marker: string | undefined;
      for (;;) {
        const page = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: marker }));
        const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
        if (keys.length > 0) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
        removed += keys.length;
        if (!page.IsTruncated || keys.length === 0) return removed;
        marker = keys[keys.length - 1]!.Key;
      }
    },
    close: async () => {},
  };
}

export function redisRemoval(url: string): StoreRemoval {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {}); // errors reach the commands that fail on them
  return {
    removeKeys: async (keys) => {
      for (let i = 0; i < keys.length; i += 1000) await redis.unlink(...keys.slice(i, i + 1000));
    },
    removePrefix: async (prefix) => {
      let removed = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
        if (keys.length > 0) removed += await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
      return removed;
    },
    close: async () => {
      redis.disconnect();
    },
  };
}
