/**
 * The Durable Functions HTTP management API of the local host, on 127.0.0.1, in the
 * form the extension serves to out-of-process SDKs under `rpcBaseUrl`
 * (`/runtime/webhooks/durabletask/`): start, status (with history), list, raise event,
 * terminate. The real `DurableClient` (`df.getClient`) drives it unchanged.
 * Baton's own additions live under `/baton/` (fault settings, recycling workers).
 *
 * Only the holder of the host's key gets in, as on Azure, where the webhooks take the
 * `durabletask_extension` system key as `code=`: the webhook URLs in the client data carry
 * `code=KEY`, and the RPC base (which the SDK calls without a query) carries the key in
 * its path (`/KEY/runtime/webhooks/durabletask/`), as only a process handed the client
 * data knows it. Anything else gets 401.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, listen, readBody } from '../../../harness/adapter-kit/http.ts';
import { EVENT_NAMES, type HistoryEvent } from './history.ts';
import { TASK_HUB, clientDataFor, type DurableClientData } from '../webhooks.ts';
import { ConflictError, type DurableHost } from './host.ts';
import type { Instance } from './instance.ts';
import type { ActivityPool } from './activity-pool.ts';

export const RPC_PATH = '/runtime/webhooks/durabletask/';

/** The client data of the local host at `origin`: webhook templates (with `code=key`), and the RPC base the SDK uses (the key in its path). */
export function localClientData(origin: string, key: string): DurableClientData {
  return clientDataFor(`${origin}${RPC_PATH.slice(0, -1)}`, `taskHub=${TASK_HUB}&connection=Storage&code=${key}`, `${origin}/${key}${RPC_PATH}`);
}

export async function serveHostApi(
  host: DurableHost,
  activities: ActivityPool,
  port = 0,
): Promise<{ url: string; key: string; clientData: DurableClientData; close(): Promise<void> }> {
  const key = randomBytes(24).toString('base64url');
  const { server, url } = await listen((request, response) => {
    handle(host, activities, url, key, request, response).catch((error: Error) => send(response, 500, { message: error.message }));
  }, port);
  return { url, key, clientData: localClientData(url, key), close: () => closeServer(server) };
}

async function handle(
  host: DurableHost,
  activities: ActivityPool,
  origin: string,
  key: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', origin);
  const body = (await readBody(request)).toString('utf8');
  // The key: in the path (RPC base) or as code= (webhooks, Baton's own routes).
  const keyed = `/${key}/`;
  if (url.pathname.startsWith(keyed)) url.pathname = url.pathname.slice(keyed.length - 1);
  else if (!safeEqual(url.searchParams.get('code') ?? '', key))
    return send(response, 401, { message: "the host key is missing or wrong (code=, or the client data's rpcBaseUrl)" });
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
      host.start(name, id, body);
    } catch (error) {
      if (error instanceof ConflictError) return send(response, 409, { message: error.message });
      throw error;
    }
    return send(response, 202, links(id), { Location: links(id).statusQueryGetUri! });
  }
  if (parts[0] === 'instances') {
    const id = parts[1];
    if (!id && request.method === 'GET')
      return send(
        response,
        200,
        [...host.instances.values()].map((i) => statusOf(i, url.searchParams)),
      );
    const instance = id ? host.instances.get(id) : undefined;
    if (!instance) return send(response, 404, { message: `No instance with ID '${id}' found.` });
    if (parts.length === 2 && request.method === 'DELETE') {
      if (!instance.isTerminal)
        return send(response, 409, { message: `Instance '${id}' is ${instance.status}: only completed, failed or terminated instances can be purged.` });
      host.purge(instance);
      return send(response, 200, { instancesDeleted: 1 });
    }
    if (parts.length === 2 && request.method === 'GET') {
      const code = instance.status === 'Completed' ? 200 : instance.isTerminal ? 400 : 202;
      return send(response, code, statusOf(instance, url.searchParams));
    }
    if (parts[2] === 'raiseEvent' && parts[3] && request.method === 'POST') {
      if (instance.isTerminal) return send(response, 410, { message: `Instance '${id}' is ${instance.status}.` });
      host.raiseEvent(instance, parts[3]!, body === '' ? 'null' : body);
      return send(response, 202);
    }
    if (parts[2] === 'terminate' && request.method === 'POST') {
      if (instance.isTerminal) return send(response, 410, { message: `Instance '${id}' is ${instance.status}.` });
      host.terminate(instance, url.searchParams.get('reason') ?? '');
      return send(response, 202);
    }
  }
  return send(response, 404, { message: `no route ${request.method} ${url.pathname}` });
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
    customStatus: null,
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

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
