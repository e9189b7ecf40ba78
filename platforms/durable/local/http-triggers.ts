/**
 * The app's HTTP-triggered functions (its starters) served as the Functions host serves
 * them: `/api/<route>` (the route template of the trigger, `{name}`, `{name?}`,
 * `{*rest}` and `{name:constraint}` parameters; the function's name when it gives no
 * route), its `methods`, and a `durableClient` input bound to this host's client data,
 * so `df.getClient(context)` and `client.createCheckStatusResponse` work unchanged.
 * The handler runs on the host's thread with the app's own `@azure/functions` classes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { registrations } from '@azure/functions-core';
import type { DurableClientData } from '../webhooks.ts';

interface Binding {
  readonly type: string;
  readonly direction: string;
  readonly route?: string;
  readonly methods?: readonly string[];
}
interface Registration {
  readonly metadata: { readonly name: string; readonly bindings: Readonly<Record<string, Binding>> };
  readonly callback: (...args: unknown[]) => unknown;
}
interface FunctionsModule {
  readonly HttpRequest: new (init: unknown) => unknown;
  readonly HttpResponse: new (init: unknown) => { status: number; headers: Headers; text(): Promise<string> };
  readonly InvocationContext: new (init: unknown) => { extraInputs: { set(name: string, value: unknown): void } };
}

/** Finds the HTTP function for a path under /api/ and calls it; false if no function has that route. */
export async function serveHttpTrigger(
  appModule: string,
  clientData: DurableClientData,
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  response: ServerResponse,
): Promise<boolean> {
  const path = url.pathname.slice('/api/'.length);
  for (const registration of registrations().values() as Iterable<Registration>) {
    const trigger = Object.values(registration.metadata.bindings).find((b) => b.type === 'httpTrigger');
    if (!trigger) continue;
    const params = matchRoute(trigger.route ?? registration.metadata.name, path);
    if (!params) continue;
    const methods = (trigger.methods ?? ['GET', 'POST']).map((m) => m.toUpperCase());
    if (!methods.includes(request.method ?? 'GET')) {
      response.writeHead(405, { allow: methods.join(', ') }).end();
      return true;
    }
    const functions = createRequire(appModule)('@azure/functions') as FunctionsModule;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const httpRequest = new functions.HttpRequest({
      method: request.method,
      url: url.href,
      headers,
      query: Object.fromEntries(url.searchParams),
      params,
      body: { bytes: body },
    });
    const extraInputs = Object.entries(registration.metadata.bindings)
      .filter(([, b]) => b.direction === 'in' && b.type !== 'httpTrigger')
      .map(([name, b]) => ({ ...b, name }));
    const context = new functions.InvocationContext({
      invocationId: randomUUID(),
      functionName: registration.metadata.name,
      options: { trigger: { ...trigger, name: 'request' }, extraInputs, extraOutputs: [] },
    });
    for (const input of extraInputs)
      if (input.type === 'durableClient' || input.type === 'orchestrationClient') context.extraInputs.set(input.name, clientData);
    let result: unknown;
    try {
      result = await registration.callback(httpRequest, context);
    } catch (error) {
      // As the Functions host answers a function that threw.
      process.stderr.write(`[${registration.metadata.name}] ${(error as Error).stack ?? String(error)}\n`);
      response.writeHead(500).end();
      return true;
    }
    const out = result instanceof functions.HttpResponse ? result : new functions.HttpResponse((result ?? {}) as object);
    const text = await out.text();
    const outHeaders: Record<string, string> = {};
    out.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    response.writeHead(out.status ?? 200, { ...outHeaders, 'content-length': Buffer.byteLength(text) }).end(text);
    return true;
  }
  return false;
}

/** Route parameters if `path` matches the template, else undefined. */
export function matchRoute(template: string, path: string): Record<string, string> | undefined {
  const parts = template.split('/').filter((p) => p !== '');
  const segments = path.split('/').filter((s) => s !== '');
  const params: Record<string, string> = {};
  let i = 0;
  for (const part of parts) {
    const param = /^\{(\*)?([A-Za-z_][\w]*)(?::[^}?]*)?(\?)?\}$/.exec(part);
    if (!param) {
      if (segments[i]?.toLowerCase() !== part.toLowerCase()) return undefined;
      i++;
      continue;
    }
    const [, catchAll, name, optional] = param;
    if (catchAll) {
      params[name!] = segments.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    if (segments[i] === undefined) {
      if (!optional) return undefined;
      continue;
    }
    params[name!] = decodeURIComponent(segments[i]!);
    i++;
  }
  return i === segments.length ? params : undefined;
}
