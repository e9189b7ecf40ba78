/**
 * A local DynamoDB endpoint on 127.0.0.1: dynalite, in memory, for the unmodified
 * `@aws-sdk/client-dynamodb`.
 *
 * Wrapped because dynalite accepts any request: it listens on a Unix socket in a folder
 * only this user can enter, and the endpoint clients use is a front on 127.0.0.1 that
 * refuses what the other stand-ins refuse (a foreign Host, a web page, a request not
 * signed with the stand-ins' credentials) and passes the rest through unchanged (signed-front.ts).
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { closeServer, sendJson } from '../../harness/adapter-kit/http.ts';
import { makeTempDir } from '../../harness/adapter-kit/temp-dirs.ts';
import { newLocalCredentials, type LocalCredentials } from './credentials.ts';
import { listenSignedFront } from './signed-front.ts';

// dynalite ships no types: it returns an http.Server.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: object) => Server;

export interface LocalDynamo {
  readonly url: string;
  readonly credentials: LocalCredentials;
  close(): Promise<void>;
}

export async function startLocalDynamo(options: { credentials?: LocalCredentials; createTableMs?: number } = {}): Promise<LocalDynamo> {
  const credentials = options.credentials ?? newLocalCredentials();
  // A new table is CREATING for a moment, as on AWS (where it takes seconds): code that uses it at once fails here too.
  const createTableMs = options.createTableMs ?? 100;
  const dir = makeTempDir('dynamo');
  const socketPath = join(dir, 'dynalite.sock');
  const backend = dynalite({ createTableMs, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    backend.once('error', reject);
    backend.listen(socketPath, () => resolve());
  });
  const { server, url } = await listenSignedFront({
    socketPath,
    credentials,
    service: 'dynamodb',
    // No keep-alive to the backend: it must be able to close as soon as its requests are done.
    agent: false,
    refuse: (response, why) =>
      sendJson(
        response,
        400,
        { __type: 'com.amazon.coral.service#UnrecognizedClientException', message: why },
        { 'content-type': 'application/x-amz-json-1.0' },
      ),
    unreachable: (response, error) => sendJson(response, 500, { __type: 'InternalFailure', message: error.message }),
  });
  return {
    url,
    credentials,
    close: async () => {
      await closeServer(server);
      // Gracefully: dynalite closes its database when its server closes, and a request it is
      // still working on would then throw from inside dynalite ("Database is closed").
      await new Promise<void>((resolve) => {
        backend.close(() => resolve());
        backend.closeIdleConnections();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
