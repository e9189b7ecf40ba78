/**
 * An HTTP gateway: start a workflow and get its result, so HTTP load tools can drive
 * the runtime.
 *
 *   POST /apps/{name}/invoke   body: the input as JSON   -> 200 { output, latencyUs, invocations }
 *   GET  /apps                                           -> 200 { apps: [...] }
 *   GET  /health                                         -> 200 { ok: true }
 *
 * Bytes travel in JSON as `{ "$base64": "..." }`. Errors: 404 unknown app or path,
 * 400 bad JSON, 500 { error } when the workflow fails.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeValue } from './value.ts';

/** What the gateway needs of a runtime: a single node or a cluster. */
export interface Invoker {
  invoke(app: string, input: RuntimeValue): Promise<{ output: RuntimeValue; invocations: readonly unknown[]; submitNs: bigint; doneNs: bigint }>;
  appNames(): string[];
}

export interface Gateway {
  readonly url: string;
  close(): Promise<void>;
}

export async function startGateway(runtime: Invoker, options: { host?: string; port?: number } = {}): Promise<Gateway> {
  const server = createServer((request, response) => {
    handle(runtime, request, response).catch((error: unknown) => send(response, 500, { error: String(error) }));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return { url: `http://${address}:${port}`, close: () => closeServer(server) };
}

/** The request path without its query, without building a URL object per request. */
function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query < 0 ? raw : raw.slice(0, query);
}

async function handle(runtime: Invoker, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = pathOf(request.url);
  if (request.method === 'GET' && path === '/health') return send(response, 200, { ok: true });
  if (request.method === 'GET' && path === '/apps') return send(response, 200, { apps: runtime.appNames() });
  const match = /^\/apps\/([^/]+)\/invoke$/.exec(path);
  if (request.method !== 'POST' || !match) return send(response, 404, { error: `no route for ${request.method} ${path}` });
  const app = decodeURIComponent(match[1]!);
  if (!runtime.appNames().includes(app)) return send(response, 404, { error: `no app named '${app}'` });
  let input: RuntimeValue;
  try {
    const body = await readBody(request);
    input = fromJson(body.length === 0 ? null : JSON.parse(body));
  } catch (error) {
    return send(response, 400, { error: `request body is not JSON: ${(error as Error).message}` });
  }
  try {
    const result = await runtime.invoke(app, input);
    send(response, 200, { output: toJson(result.output), latencyUs: Number(result.doneNs - result.submitNs) / 1000, invocations: result.invocations.length });
  } catch (error) {
    send(response, 500, { error: (error as Error).message });
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export function toJson(value: RuntimeValue): unknown {
  if (value instanceof Uint8Array) return { $base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map((v) => toJson(v as RuntimeValue));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v as RuntimeValue)]));
  return value;
}

export function fromJson(json: unknown): RuntimeValue {
  if (Array.isArray(json)) return json.map(fromJson);
  if (typeof json === 'object' && json !== null) {
    const record = json as Record<string, unknown>;
    if (Object.keys(record).length === 1 && typeof record['$base64'] === 'string') return new Uint8Array(Buffer.from(record['$base64'], 'base64'));
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fromJson(v)]));
  }
  return json as RuntimeValue;
}
