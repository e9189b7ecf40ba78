/**
 * Durable HTTP (`context.df.callHttp`) in the local host: the extension makes the
 * request on the orchestrator's behalf and hands back `{ statusCode, content, headers }`.
 * The 202-with-Location polling is the SDK's (CallHttpWithPollingTask: a timer, then the
 * same call again), so the host makes exactly one request per scheduled call.
 *
 * Local limits, said when hit: only loopback targets (the stand-in is one machine and
 * reaches nothing else), and no managed-identity `tokenSource` (there is no Azure AD).
 */
import type { HttpRequestAction } from './instance.ts';

/** The extension's default timeout of a durable HTTP request. */
const HTTP_TIMEOUT_MS = 240_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface DurableHttpResponseWire {
  readonly statusCode: number;
  readonly content: string;
  readonly headers: Record<string, string>;
}

export async function callHttp(request: HttpRequestAction): Promise<DurableHttpResponseWire> {
  const url = new URL(request.uri);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`Baton's local Durable host makes durable HTTP calls only to loopback addresses, not to ${url.host}`);
  if (request.tokenSource) throw new Error("a managed-identity tokenSource needs Azure AD: Baton's local Durable host cannot get a token");
  const response = await fetch(url, {
    method: request.method,
    headers: request.headers,
    ...(request.content !== undefined && request.method !== 'GET' && request.method !== 'HEAD' ? { body: request.content } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { statusCode: response.status, content: await response.text(), headers };
}
