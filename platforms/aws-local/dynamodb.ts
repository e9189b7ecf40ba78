/** A local DynamoDB endpoint on 127.0.0.1: dynalite, in memory, for the unmodified `@aws-sdk/client-dynamodb`. */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

// dynalite ships no types: it returns an http.Server.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: object) => Server;

export interface LocalDynamo {
  readonly url: string;
  close(): Promise<void>;
}

export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
