/**
 * Azure Storage on 127.0.0.1 for the local target: Azurite (Microsoft's emulator, from npm),
 * Blob and Table services, in memory, for the unmodified `@azure/storage-blob` and
 * `@azure/data-tables` clients. The account has a name and key made for the run
 * (AZURITE_ACCOUNTS replaces the emulator's well-known key), so only requests signed by
 * this user get in; telemetry is off, and it stops when the run ends or dies.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { makeTempDir } from '../../../harness/adapter-kit/index.ts';

export interface LocalAzureStorage {
  readonly accountName: string;
  /** What an Azure app setting holds: `DefaultEndpointsProtocol=http;AccountName=...;AccountKey=...;BlobEndpoint=...;TableEndpoint=...` */
  readonly connectionString: string;
  readonly blobUrl: string;
  readonly tableUrl: string;
  close(): Promise<void>;
}

const MAIN = new URL('./azurite-main.ts', import.meta.url);
const START_TIMEOUT_MS = 30_000;
/** Memory the in-memory blobs may take, MB: a run's storage is small, and the machine's half (Azurite's default) is not. */
const EXTENT_MEMORY_MB = 4096;

export async function startLocalAzureStorage(): Promise<LocalAzureStorage> {
  const accountName = `baton${randomBytes(4).toString('hex')}`;
  const accountKey = randomBytes(32).toString('base64');
  const dir = makeTempDir('azurite'); // its working directory: nothing is written there with in-memory persistence
  const args = [
    ...['--blobHost', '127.0.0.1', '--blobPort', '0', '--tableHost', '127.0.0.1', '--tablePort', '0', '--queueHost', '127.0.0.1', '--queuePort', '0'],
    ...['--inMemoryPersistence', '--extentMemoryLimit', String(EXTENT_MEMORY_MB), '--disableTelemetry', '--silent'],
  ];
  const child = fork(MAIN, args, {
    cwd: dir,
    execArgv: [], // not the parent's flags (an --input-type or a loader of its own)
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, AZURITE_ACCOUNTS: `${accountName}:${accountKey}` },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let urls: { blob: string; table: string };
  try {
    urls = await listening(child);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const blobUrl = `${urls.blob}/${accountName}`;
  const tableUrl = `${urls.table}/${accountName}`;
  return {
    accountName,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${accountName};AccountKey=${accountKey};BlobEndpoint=${blobUrl};TableEndpoint=${tableUrl};`,
    blobUrl,
    tableUrl,
    close: async () => {
      if (child.connected) child.disconnect(); // azurite-main.ts stops Azurite
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Blob and Table services' addresses, once Azurite says both listen. */
function listening(child: ChildProcess): Promise<{ blob: string; table: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const found: { blob?: string; table?: string } = {};
    const timer = setTimeout(() => reject(new Error(`azurite did not start in ${START_TIMEOUT_MS / 1000} s: ${output.slice(-500)}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const [, service, url] of output.matchAll(/Azurite (Blob|Table) service is successfully listening at (http:\/\/127\.0\.0\.1:\d+)/g))
        found[service!.toLowerCase() as 'blob' | 'table'] = url!;
      if (found.blob && found.table) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve({ blob: found.blob, table: found.table });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`azurite exited (code ${code}) before it served: ${output.slice(-500)}`));
    });
  });
}
