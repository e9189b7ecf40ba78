/** The run's own redis-server: reachable with its password only, and gone when closed. */
import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../harness/testing/requires.ts';
import { REDIS_MISSING, redisServerPath, startLocalRedis } from './redis.ts';
import { redisStore } from './value-store.ts';
import { redisRemoval } from './store-removal.ts';

/** One raw RESP command on a fresh connection, as any local process could send it. */
function rawCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(`${command}\r\n`));
    socket.once('data', (chunk) => {
      resolve(chunk.toString());
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe('local Redis', () => {
  it('stores and removes values for its password only, and stops on close', async (context) => {
    if (!requireTool(context, redisServerPath() !== undefined, REDIS_MISSING)) return;
    const redis = await startLocalRedis();
    const port = Number(new URL(redis.url).port);
    const store = redisStore(redis.url);
    try {
      const value = Buffer.alloc(5 * 2 ** 20, 7);
      await store.put('runs/a/1', value);
      await store.put('runs/a/2', Buffer.from('x'));
      expect((await store.get('runs/a/1')).equals(value)).toBe(true);
      expect(await rawCommand(port, 'GET runs/a/2')).toMatch(/^-NOAUTH/);
      const wrong = redisStore(redis.url.replace(/:[^:@/]+@/, ':wrong@'));
      await expect(wrong.put('k', Buffer.from('1'))).rejects.toThrow(/WRONGPASS/);
      await wrong.close();
      const removal = redisRemoval(redis.url);
      expect(await removal.removePrefix('runs/')).toBe(2);
      await removal.close();
      await expect(store.get('runs/a/1')).rejects.toThrow(/no value under key runs\/a\/1/);
    } finally {
      await store.close();
      await redis.close();
    }
    await expect(rawCommand(port, 'PING')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 60_000);
});
