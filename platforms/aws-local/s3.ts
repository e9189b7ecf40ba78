/**
 * A local Amazon S3 endpoint on 127.0.0.1: s3rver (the S3 REST protocol, objects on disk
 * in a temporary folder) for the unmodified `@aws-sdk/client-s3`, path-style.
 *
 * Wrapped because s3rver lets in anyone: it does not check Signature Version 4 at all
 * (its own comment: "unimplemented") and serves unsigned requests. It listens on a Unix
 * socket, behind the signed front dynalite has too (signed-front.ts).
 *
 * Three more changes to how s3rver runs, each for a reason: deletes leave folders alone
 * (keepDirectoriesOnDelete, a race in s3rver); its winston logger is replaced
 * by one that drops everything (silenced, it still warns "no transports" for requests in
 * flight when its server closes), and requests reach it over a pool of kept-alive
 * connections (a Unix socket refuses new connections with EAGAIN once its backlog is full,
 * which 200 functions writing at once fill).
 *
 * Left as s3rver has it: ListObjectsV2 past its first 1000 keys answers 500 on Node 17 and
 * later (its continuation tokens use DES, which OpenSSL 3 dropped). Baton's own listing
 * uses ListObjects version 1 (store-removal.ts); a client of `baton serve asf` that pages
 * with version 2 meets it.
 */
import { Agent, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { closeServer } from '../../harness/adapter-kit/http.ts';
import { makeTempDir } from '../../harness/adapter-kit/temp-dirs.ts';
import { newLocalCredentials, type LocalCredentials } from './credentials.ts';
import { listenSignedFront } from './signed-front.ts';

// s3rver ships no types: a Koa application whose `listen` returns an http.Server.
interface S3rverApp {
  listen(path: string): Promise<Server>;
  logger: unknown;
  context: { logger: unknown };
  store: FilesystemStore;
}
const SILENT_LOGGER = { info() {}, warn() {}, error() {}, debug() {}, close() {}, exceptions: { unhandle() {} } };

/** s3rver's filesystem store, the part of it wrapped here. */
interface FilesystemStore {
  deleteObject(bucket: string, key: string): Promise<void>;
  getResourcePath(bucket: string, key: string, resource: string): string;
}

/**
 * s3rver deletes an object's files and then every parent folder left empty. Concurrent
 * requests race on those folders: a DeleteObjects of keys in one folder fails with 500
 * (ENOENT from the second rmdir), and a PutObject into a folder being removed fails too.
 * Here a delete removes the object's files only; empty folders stay until the stand-in
 * stops (listing ignores them, and DeleteBucket removes the bucket's folder whole).
 */
function keepDirectoriesOnDelete(store: FilesystemStore): void {
  store.deleteObject = async (bucket, key) => {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        unlink(store.getResourcePath(bucket, key, resource)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  };
}
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (options: object) => S3rverApp;
/** s3rver's registry of access keys: the stand-ins' key is added so that s3rver names it as the owner, not "unknown key". */
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };

export interface LocalS3 {
  readonly url: string;
  readonly credentials: LocalCredentials;
  close(): Promise<void>;
}

export async function startLocalS3(options: { credentials?: LocalCredentials } = {}): Promise<LocalS3> {
  const credentials = options.credentials ?? newLocalCredentials();
  DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  const dir = makeTempDir('s3');
  const objects = join(dir, 'objects');
  mkdirSync(objects);
  const socketPath = join(dir, 's3rver.sock');
  const app = new S3rver({ silent: true, directory: objects, vhostBuckets: false });
  app.logger = app.context.logger = SILENT_LOGGER;
  keepDirectoriesOnDelete(app.store);
  const backend = await app.listen(socketPath);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const xmlError = (response: ServerResponse, status: number, code: string, message: string) => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`;
    response.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
    response.end(xml);
  };
  const { server, url } = await listenSignedFront({
    socketPath,
    credentials,
    service: 's3',
    agent,
    refuse: (response, why) => xmlError(response, 403, 'SignatureDoesNotMatch', why),
    unreachable: (response, error) => xmlError(response, 500, 'InternalError', error.message),
  });
  return {
    url,
    credentials,
    close: async () => {
      await closeServer(server);
      agent.destroy();
      await closeServer(backend);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
