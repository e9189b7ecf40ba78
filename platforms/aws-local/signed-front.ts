/**
 * The front a local stand-in that lets anyone in (dynalite, s3rver) is given: it listens
 * on 127.0.0.1, refuses what every stand-in refuses (a foreign Host, a web page: see
 * adapter-kit/http.ts) and any request not signed with the stand-ins' credentials (SigV4),
 * and passes the rest, unchanged, to the backend on a Unix socket in a folder only this
 * user can enter.
 */
import { request as httpRequest, type Agent, type Server, type ServerResponse } from 'node:http';
import { listen, readBody } from '../../harness/adapter-kit/http.ts';
import type { LocalCredentials } from './credentials.ts';
import { signatureProblem } from './sigv4.ts';

export interface SignedFront {
  /** The backend's Unix socket. */
  readonly socketPath: string;
  readonly credentials: LocalCredentials;
  /** The service name requests are signed for (`dynamodb`, `s3`). */
  readonly service: string;
  /** How requests reach the backend: `false`, one connection each; or a pool (see s3.ts). */
  readonly agent: Agent | false;
  /** Answers a request that is not signed right, in the service's own error format. */
  readonly refuse: (response: ServerResponse, why: string) => void;
  /** Answers when the backend cannot be reached. */
  readonly unreachable: (response: ServerResponse, error: Error) => void;
}

export function listenSignedFront(front: SignedFront): Promise<{ server: Server; url: string }> {
  return listen((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const unsigned = await signatureProblem(request, body, front.credentials, front.service);
      if (unsigned) return front.refuse(response, unsigned);
      const forwarded = httpRequest(
        { socketPath: front.socketPath, method: request.method, path: request.url, headers: request.headers, agent: front.agent },
        (answer) => {
          response.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(response);
        },
      );
      forwarded.once('error', (error) => front.unreachable(response, error));
      forwarded.end(body);
    })();
  });
}
