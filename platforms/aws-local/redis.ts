/**
 * A Redis server for the local target (ElastiCache's role): Debian's `redis-server`,
 * started for the run on 127.0.0.1 with a password made at random (Redis AUTH, as an
 * ElastiCache user sets), no persistence, in a temporary folder; stopped when the run ends.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { UnsupportedError } from '../../harness/model/errors.ts';
import { makeTempDir } from '../../harness/adapter-kit/temp-dirs.ts';

export interface LocalRedis {
  /** `redis://:password@127.0.0.1:port` */
  readonly url: string;
  close(): Promise<void>;
}

export const REDIS_MISSING = 'redis-server not found (apt-get install redis-server)';

/** The redis-server binary, or undefined when this machine has none. */
export function redisServerPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

export async function startLocalRedis(): Promise<LocalRedis> {
  const binary = redisServerPath();
  if (!binary) throw new UnsupportedError(REDIS_MISSING);
  const password = randomBytes(24).toString('base64url');
  const dir = makeTempDir('redis');
  // Redis cannot be asked for a free port (0 turns TCP off): take one the system gives, and try again if it is taken meanwhile.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(binary, ['-'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    // The configuration goes on stdin, so the password is in no process listing.
    child.stdin.end(
      [`bind 127.0.0.1`, `port ${port}`, `requirepass ${password}`, `save ""`, `appendonly no`, `dir ${dir}`, `protected-mode yes`, `loglevel notice`].join(
        '\n',
      ),
    );
    const started = await readyOrExit(child);
    if (started === true) {
      return {
        url: `redis://:${password}@127.0.0.1:${port}`,
        close: async () => {
          await stop(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (attempt >= 5 || !/Address already in use/i.test(started)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start: ${started.trim().split('\n').slice(-3).join(' ')}`);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** true once the server says it accepts connections; else what it printed before it exited. */
function readyOrExit(child: ChildProcess): Promise<true | string> {
  return new Promise((resolve) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`no "Ready to accept connections" within 10 s: ${output}`);
    }, 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(true);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(output || 'redis-server exited');
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
