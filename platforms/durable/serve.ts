/**
 * `baton serve durable --app PATH [--store DIR] [--port N]`: the local Durable host
 * running a user's own Function App (programming model v4), until SIGINT/SIGTERM. The
 * host runs as a child process, as a Function App does; its endpoints line carries the
 * `clientData` a `durableClient` binding receives, so `df.getClient` works from a user's
 * own scripts, and the app's HTTP functions answer under `/api/`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../harness/model/errors.ts';
import { startHostProcess } from './local/host-process.ts';

export interface DurableServeOptions {
  readonly app?: string;
  readonly store?: string;
  readonly port?: string;
}

export async function serveDurable(options: DurableServeOptions): Promise<{ endpoints: Record<string, unknown>; close(): Promise<void> }> {
  if (!options.app)
    throw new InputError(
      'E_BAD_INPUT',
      'baton serve durable: --app is required: the Function App to run (a module file, or a folder with a package.json "main")',
    );
  const app = resolve(options.app);
  if (!existsSync(app)) throw new InputError('E_BAD_INPUT', `baton serve durable --app ${options.app}: no such file or folder`);
  let port: number | undefined;
  if (options.port !== undefined) {
    port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new InputError('E_BAD_INPUT', `--port ${options.port}: expected a TCP port number (0-65535)`);
  }
  const host = await startHostProcess({ appUrl: app, ...(options.store ? { storeDir: resolve(options.store) } : {}), ...(port !== undefined ? { port } : {}) });
  return {
    endpoints: { durable: host.url, clientData: host.clientData, key: host.key },
    close: () => host.stop(),
  };
}
