/** Small HTTP helpers shared by the local stand-ins (AWS and Durable Functions). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
    ...headers,
  });
  response.end(text);
}

/**
 * Content types a web page may send to any address without a preflight (CORS "simple"
 * requests): the way a page would reach a stand-in on loopback. No SDK sends them.
 */
const BROWSER_CONTENT_TYPES = /^\s*(text\/plain|application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Why a request is not from this machine's user through a client (a browser page, a
 * rebound DNS name), or undefined: the Host must be the stand-in's loopback address and
 * port, and nothing a browser adds may be there (an Origin, a simple content type).
 */
export function foreignRequestProblem(request: IncomingMessage, port: number): string | undefined {
  const host = String(request.headers.host ?? '');
  if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase()))
    return `Host '${host}' is not this stand-in (127.0.0.1:${port})`;
  if (request.headers.origin !== undefined) return `requests from web pages (Origin ${request.headers.origin}) are refused`;
  const type = request.headers['content-type'];
  if (type !== undefined && BROWSER_CONTENT_TYPES.test(type)) return `content type '${type}' is what web pages send; expected JSON`;
  return undefined;
}

/**
 * Listens on 127.0.0.1, on `port` or (0, the default, or when it is taken) a free one.
 * Every request is checked by `foreignRequestProblem` first: refused ones get 403 and
 * never reach `handler`.
 */
export async function listen(handler: (request: IncomingMessage, response: ServerResponse) => void, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const problem = foreignRequestProblem(request, (server.address() as AddressInfo).port);
    if (problem === undefined) return handler(request, response);
    request.resume();
    sendJson(response, 403, { __type: 'AccessDeniedException', message: problem }, { 'x-amzn-errortype': 'AccessDeniedException' });
  });
  server.keepAliveTimeout = 60_000;
  const tryListen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await tryListen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    await tryListen(0); // the port asked for is in use: take another rather than fail the run
  }
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
