/**
 * The Durable Functions HTTP management API of the local host, on 127.0.0.1, in the
 * form the extension serves to out-of-process SDKs under `rpcBaseUrl`
 * (`/runtime/webhooks/durabletask/`): start (with a version), status (with history and
 * custom status), list and purge with every filter (runtimeStatus, createdTimeFrom/To,
 * instanceIdPrefix, top, continuation tokens), raise event, terminate, suspend, resume,
 * rewind, and entities (read state, signal). The real `DurableClient` (`df.getClient`)
 * drives it unchanged. The app's HTTP functions are served under `/api/`
 * (`http-triggers.ts`). Baton's own additions live under `/baton/` (fault settings,
 * recycling workers).
 *
 * Only the holder of the host's key gets in, as on Azure, where the webhooks take the
 * `durabletask_extension` system key as `code=`: the webhook URLs in the client data carry
 * `code=KEY`, and the RPC base (which the SDK calls without a query) carries the key in
 * its path (`/KEY/runtime/webhooks/durabletask/`), as only a process handed the client
 * data knows it. `/api/` routes take the key as `code=` or an `x-functions-key` header,
 * whatever the function's authLevel (the stand-in lets in only its user). Anything else
 * gets 401.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, listen, readBody } from '../../../harness/adapter-kit/http.ts';
import { entityIdOf } from './entities.ts';
import { EVENT_NAMES, type HistoryEvent } from './history.ts';
import { serveHttpTrigger } from './http-triggers.ts';
import { TASK_HUB, clientDataFor, type DurableClientData } from '../webhooks.ts';
import { ConflictError, type DurableHost } from './host.ts';
import { RewindError, type Instance } from './instance.ts';
import type { ActivityPool } from './activity-pool.ts';

export const RPC_PATH = '/runtime/webhooks/durabletask/';

/** The client data of the local host at `origin`: webhook templates (with `code=key`), and the RPC base the SDK uses (the key in its path). */
export function localClientData(origin: string, key: string): DurableClientData {
  return clientDataFor(`${origin}${RPC_PATH.slice(0, -1)}`, `taskHub=${TASK_HUB}&connection=Storage&code=${key}`, `${origin}/${key}${RPC_PATH}`);
}

/** Page size of the instance list when the query gives no `top`. */
const DEFAULT_PAGE = 100;

export interface HostApiOptions {
  readonly port?: number;
  /** The app's first module: its `@azure/functions` builds the requests of its HTTP functions. */
  readonly appModule?: string;
}

export async function serveHostApi(
  host: DurableHost,
  activities: ActivityPool,
  options: HostApiOptions = {},
): Promise<{ url: string; key: string; clientData: DurableClientData; close(): Promise<void> }> {
  const key = randomBytes(24).toString('base64url');
  const { server, url } = await listen((request, response) => {
    handle({ host, activities, origin: url, key, appModule: options.appModule }, request, response).catch((error: Error) => {
      if (!response.headersSent) send(response, 500, { message: error.message });
    });
  }, options.port ?? 0);
  return { url, key, clientData: localClientData(url, key), close: () => closeServer(server) };
}

interface Api {
  readonly host: DurableHost;
  readonly activities: ActivityPool;
  readonly origin: string;
  readonly key: string;
  readonly appModule?: string;
}

async function handle(api: Api, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { host, activities, origin, key } = api;
  const url = new URL(request.url ?? '/', origin);
  const raw = await readBody(request);
  const body = raw.toString('utf8');
  // The key: in the path (RPC base), as code= (webhooks, Baton's own routes, /api/) or as x-functions-key (/api/).
  const keyed = `/${key}/`;
  const headerKey = url.pathname.startsWith('/api/') ? String(request.headers['x-functions-key'] ?? '') : '';
  if (url.pathname.startsWith(keyed)) url.pathname = url.pathname.slice(keyed.length - 1);
  else if (!safeEqual(url.searchParams.get('code') ?? '', key) && !safeEqual(headerKey, key))
    return send(response, 401, { message: "the host key is missing or wrong (code=, x-functions-key, or the client data's rpcBaseUrl)" });
  if (url.pathname.startsWith('/api/') && api.appModule) {
    if (await serveHttpTrigger(api.appModule, localClientData(origin, key), request, url, raw, response)) return;
    return send(response, 404, { message: `no HTTP function has the route ${url.pathname}` });
  }
  if (url.pathname === '/baton/faults' && request.method === 'POST') {
    host.faults = JSON.parse(body || '{}') as Record<string, number>;
    return send(response, 204);
  }
  if (url.pathname === '/baton/recycle' && request.method === 'POST') {
    await activities.recycle();
    return send(response, 204);
  }
  if (!url.pathname.startsWith(RPC_PATH)) return send(response, 404, { message: `no route ${url.pathname}` });
  const parts = url.pathname.slice(RPC_PATH.length).split('/').map(decodeURIComponent);
  const links = (id: string) => instanceLinks(origin, key, id);

  if (parts[0] === 'orchestrators' && request.method === 'POST' && parts[1]) {
    const name = parts[1];
    if (!host.orchestratorNames().includes(name))
      return send(response, 400, { message: `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.` });
    const id = parts[2] || randomUUID().replaceAll('-', '');
    if (body !== '') {
      try {
        JSON.parse(body);
      } catch {
        return send(response, 400, { message: 'The request body is not valid JSON.' });
      }
    }
    try {
      host.start(name, id, body, url.searchParams.get('version') ? { version: url.searchParams.get('version')! } : {});
    } catch (error) {
      if (error instanceof ConflictError) return send(response, 409, { message: error.message });
      throw error;
    }
    return send(response, 202, links(id), { Location: links(id).statusQueryGetUri! });
  }
  if (parts[0] === 'instances') {
    const token = String(request.headers['x-ms-continuation-token'] ?? '');
    return instances(host, parts, url, { method: request.method ?? 'GET', body, token }, response, links);
  }
  if (parts[0] === 'entities' && parts[1] && parts[2] !== undefined) {
    const entityId = entityIdOf(parts[1], parts.slice(2).join('/'));
    if (request.method === 'GET') {
      const entity = host.entities.read(entityId);
      if (!entity) return send(response, 404, { message: `No entity with ID '${entityId}' found.` });
      return sendText(response, 200, entity.state ?? 'null');
    }
    if (request.method === 'POST') {
      const op = url.searchParams.get('op') ?? '';
      if (body !== '' && !isJson(body)) return send(response, 400, { message: 'The request body is not valid JSON.' });
      host.entities.deliver(entityId, { id: randomUUID(), op, signal: true, input: body });
      return send(response, 202);
    }
  }
  return send(response, 404, { message: `no route ${request.method} ${url.pathname}` });
}

function instances(
  host: DurableHost,
  parts: readonly string[],
  url: URL,
  { method, body, token }: { readonly method: string; readonly body: string; readonly token: string },
  response: ServerResponse,
  links: (id: string) => Record<string, string>,
): void {
  const id = parts[1];
  if (!id) {
    const matching = filtered(host, url.searchParams);
    if (method === 'DELETE') {
      const purgeable = matching.filter((i) => i.isTerminal);
      for (const instance of purgeable) host.purge(instance);
      return send(response, purgeable.length > 0 ? 200 : 404, { instancesDeleted: purgeable.length });
    }
    if (method !== 'GET') return send(response, 405, { message: `${method} is not allowed on the instance list` });
    const from = decodeToken(token);
    if (from === undefined) return send(response, 400, { message: 'the x-ms-continuation-token header is not a token this host gave' });
    return page(response, matching, from, url.searchParams);
  }
  const instance = host.instances.get(id);
  if (!instance) return send(response, 404, { message: `No instance with ID '${id}' found.` });
  const reason = url.searchParams.get('reason') ?? '';
  if (parts.length === 2 && method === 'DELETE') {
    if (!instance.isTerminal)
      return send(response, 409, { message: `Instance '${id}' is ${instance.status}: only completed, failed or terminated instances can be purged.` });
    host.purge(instance);
    return send(response, 200, { instancesDeleted: 1 });
  }
  if (parts.length === 2 && method === 'GET') {
    const code = instance.status === 'Completed' ? 200 : instance.isTerminal ? 400 : 202;
    return send(
      response,
      code,
      statusOf(instance, url.searchParams),
      instance.isTerminal ? {} : { Location: links(id).statusQueryGetUri!, 'Retry-After': '10' },
    );
  }
  if (parts[2] === 'raiseEvent' && parts[3] && method === 'POST') {
    if (instance.isTerminal) return send(response, 410, { message: `Instance '${id}' is ${instance.status}.` });
    if (body !== '' && !isJson(body)) return send(response, 400, { message: 'The request body is not valid JSON.' });
    host.raiseEvent(instance, parts[3], body === '' ? 'null' : body);
    return send(response, 202);
  }
  if (parts[2] === 'terminate' && method === 'POST') {
    if (instance.isTerminal) return send(response, 410, { message: `Instance '${id}' is ${instance.status}.` });
    host.terminate(instance, reason);
    return send(response, 202);
  }
  if (parts[2] === 'suspend' && method === 'POST') {
    if (instance.isTerminal) return send(response, 410, { message: `Instance '${id}' is ${instance.status}.` });
    if (instance.status !== 'Suspended') host.suspend(instance, reason);
    return send(response, 202);
  }
  if (parts[2] === 'resume' && method === 'POST') {
    if (instance.isTerminal) return send(response, 410, { message: `Instance '${id}' is ${instance.status}.` });
    if (instance.status === 'Suspended') host.resume(instance, reason);
    return send(response, 202);
  }
  if (parts[2] === 'rewind' && method === 'POST') {
    try {
      host.rewind(instance, reason);
    } catch (error) {
      // The SDK reads a rewind refusal's body as the error's message.
      if (error instanceof RewindError) return sendText(response, 412, error.message, 'text/plain; charset=utf-8');
      throw error;
    }
    return send(response, 202);
  }
  return send(response, 404, { message: `no route ${method} ${url.pathname}` });
}

/** The instances a list or purge query selects, oldest first. */
function filtered(host: DurableHost, query: URLSearchParams): Instance[] {
  const statuses = (query.get('runtimeStatus') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const from = query.get('createdTimeFrom');
  const to = query.get('createdTimeTo');
  const prefix = query.get('instanceIdPrefix') ?? '';
  const fromMs = from ? Date.parse(from) : -Infinity;
  const toMs = to ? Date.parse(to) : Infinity;
  return [...host.instances.values()]
    .filter((i) => statuses.length === 0 || statuses.includes(i.status))
    .filter((i) => Date.parse(i.createdTime) >= fromMs && Date.parse(i.createdTime) <= toMs)
    .filter((i) => i.id.startsWith(prefix))
    .sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.id.localeCompare(b.id));
}

function page(response: ServerResponse, matching: readonly Instance[], from: number, query: URLSearchParams): void {
  const top = Number(query.get('top') ?? DEFAULT_PAGE);
  const size = Number.isInteger(top) && top > 0 ? top : DEFAULT_PAGE;
  const rows = matching.slice(from, from + size).map((i) => statusOf(i, query));
  const next: Record<string, string> =
    from + size < matching.length ? { 'x-ms-continuation-token': Buffer.from(String(from + size)).toString('base64url') } : {};
  send(response, 200, rows, next);
}

function decodeToken(token: string): number | undefined {
  if (!token) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function instanceLinks(origin: string, key: string, id: string): Record<string, string> {
  const data = localClientData(origin, key).managementUrls;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, k === 'id' ? id : v.replace('INSTANCEID', encodeURIComponent(id))]));
}

function statusOf(instance: Instance, query: URLSearchParams): Record<string, unknown> {
  const parse = (text: string | undefined) => (text === undefined || text === '' ? null : (JSON.parse(text) as unknown));
  const withOutput = query.get('showHistoryOutput') === 'true';
  return {
    name: instance.name,
    instanceId: instance.id,
    runtimeStatus: instance.status,
    input: query.get('showInput') === 'false' ? null : parse(instance.input),
    customStatus: instance.customStatus ?? null,
    output: instance.output ?? null,
    createdTime: instance.createdTime,
    lastUpdatedTime: instance.lastUpdatedTime,
    ...(query.get('showHistory') === 'true' ? { historyEvents: instance.history.map((e) => historyEntry(e, withOutput)) } : {}),
  };
}

/** A history event as the status API shows it: EventType by name, payloads as JSON when asked for. */
function historyEntry(e: HistoryEvent, withOutput: boolean): Record<string, unknown> {
  const { EventType: type, Result, Input, IsPlayed: _, ...rest } = e;
  return {
    EventType: EVENT_NAMES[type] ?? String(type),
    ...rest,
    ...(withOutput && Result !== undefined ? { Result: JSON.parse(Result) as unknown } : {}),
    ...(withOutput && Input !== undefined && Input !== '' ? { Input: JSON.parse(Input) as unknown } : {}),
  };
}

function sendText(response: ServerResponse, status: number, text: string, contentType = 'application/json; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
