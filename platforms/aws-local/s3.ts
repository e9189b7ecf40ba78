/**
 * A local Amazon S3 endpoint on 127.0.0.1: s3rver (the S3 REST protocol, objects on disk
 * in a temporary folder) for the unmodified `@aws-sdk/client-s3`, path-style.
 *
 * Wrapped because s3rver lets in anyone: it does not check Signature Version 4 at all
 * (its own comment: "unimplemented") and serves unsigned requests. It listens on a Unix
 * socket in a folder only this user can enter, and the endpoint clients use is a front on
 * 127.0.0.1 that refuses what the other stand-ins refuse (a foreign Host, a web page, a
 * request not signed with the stand-ins' credentials) and passes the rest through.
 */
import { request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { closeServer, listen, readBody } from '../../harness/adapter-kit/http.ts';
import { makeTempDir } from '../../harness/adapter-kit/temp-dirs.ts';
import { newLocalCredentials, type LocalCredentials } from './credentials.ts';
import { signatureProblem } from './sigv4.ts';

// s3rver ships no types: a Koa application whose `listen` returns an http.Server.
interface S3rverApp {
  listen(path: string): Promise<Server>;
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
  const backend = await new S3rver({ silent: true, directory: objects, vhostBuckets: false }).listen(socketPath);
  const { server, url } = await listen((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const unsigned = await signatureProblem(request, body, credentials, 's3');
      if (unsigned) {
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>${escapeXml(unsigned)}</Message></Error>`;
        response.writeHead(403, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
        return response.end(xml);
      }
      // No keep-alive to the backend: it must be able to close as soon as its requests are done.
      const forwarded = httpRequest({ socketPath, method: request.method, path: request.url, headers: request.headers, agent: false }, (answer) => {
        response.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(response);
      });
      forwarded.once('error', (error) => {
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>${escapeXml(error.message)}</Message></Error>`;
        response.writeHead(500, { 'content-type': 'application/xml' });
        response.end(xml);
      });
      forwarded.end(body);
    })();
  });
  return {
    url,
    credentials,
    close: async () => {
      await closeServer(server);
      await closeServer(backend);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
