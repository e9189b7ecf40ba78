/**
 * A local AWS Lambda endpoint on 127.0.0.1, speaking the Lambda REST API that the
 * unmodified `@aws-sdk/client-lambda` uses: CreateFunction, GetFunction,
 * GetFunctionConfiguration, UpdateFunctionConfiguration, ListFunctions,
 * DeleteFunction, ListTags, Invoke (RequestResponse, Event, DryRun) and Put/GetFunctionEventInvokeConfig
 * (retries, and an on-failure destination that is a function). Function errors come
 * back as the service sends them: status 200, `X-Amz-Function-Error: Unhandled`, and
 * `{ errorType, errorMessage, trace }` as the payload.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT } from '../account.ts';
import { closeServer, listen, readBody, sendJson } from '../../../harness/adapter-kit/http.ts';
import { LocalFunctions, type EventInvokeConfig, type FunctionConfig } from './functions.ts';
import { credentialsEnv, newLocalCredentials, type LocalCredentials } from '../credentials.ts';
import { signatureProblem } from '../sigv4.ts';

export interface LocalLambda {
  readonly url: string;
  readonly region: string;
  /** What every request must be signed with (SigV4). */
  readonly credentials: LocalCredentials;
  readonly functions: LocalFunctions;
  /**
   * From now on, refuse each invoke with this probability as a throttled account does
   * (429 TooManyRequestsException, "Rate Exceeded."): `--inject throttle=P`. 0 stops it.
   */
  throttle(probability: number): void;
  /** Invokes refused by `throttle` so far. */
  readonly throttled: number;
  close(): Promise<void>;
}

const PREFIX = '/2015-03-31/functions';
/** What Lambda names as the most a RequestResponse answer may hold (its error message's figure). */
const RESPONSE_LIMIT_BYTES = 6291556;

/** Lambda's rule for function names (a name, or the name part of an ARN): what keeps a name from being a path. */
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export async function startLocalLambda(
  options: {
    port?: number;
    region?: string;
    idleMs?: number;
    credentials?: LocalCredentials;
    /** How long a new function stays `Pending` (AWS: typically under a second; default 100 ms). */
    pendingMs?: number;
  } = {},
): Promise<LocalLambda> {
  const pendingMs = options.pendingMs ?? 100;
  let throttleProbability = 0;
  let throttled = 0;
  /** Until when each new function is Pending: AWS refuses invokes and updates until it is Active. */
  const pendingUntil = new Map<string, number>();
  const stateOf = (name: string): 'Pending' | 'Active' => ((pendingUntil.get(name) ?? 0) > Date.now() ? 'Pending' : 'Active');
  const region = options.region ?? 'us-east-1';
  const credentials = options.credentials ?? newLocalCredentials();
  const arnOf = (name: string): string => `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${name}`;
  const functions = new LocalFunctions({
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    env: { ...credentialsEnv(credentials), AWS_REGION: region },
    arnOf,
  });
  const describe = (config: FunctionConfig) => ({
    ...config,
    FunctionArn: arnOf(config.FunctionName),
    State: stateOf(config.FunctionName),
    LastUpdateStatus: 'Successful',
    Version: '$LATEST',
    PackageType: 'Zip',
  });
  /** Tags given at CreateFunction, as GetFunction and ListTags return them. */
  const tags = new Map<string, Record<string, string>>();
  const notFound = (response: ServerResponse, name: string) =>
    sendJson(response, 404, { Type: 'User', message: `Function not found: ${arnOf(name)}` }, { 'x-amzn-errortype': 'ResourceNotFoundException' });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://lambda');
    const path = decodeURIComponent(url.pathname).replace(/\/$/, '');
    const body = await readBody(request);
    const unsigned = await signatureProblem(request, body, credentials, 'lambda');
    if (unsigned) return sendJson(response, 403, { Type: 'User', message: unsigned }, { 'x-amzn-errortype': 'InvalidSignatureException' });
    const json = (): Record<string, unknown> => (body.length > 0 ? JSON.parse(body.toString('utf8')) : {});
    if (request.method === 'GET' && path === PREFIX) return sendJson(response, 200, { Functions: functions.list().map(describe) });
    if (request.method === 'POST' && path === PREFIX) {
      const input = json();
      const name = nameOf(String(input['FunctionName'] ?? ''));
      if (!FUNCTION_NAME.test(name)) return invalidName(response, name);
      if (functions.get(name))
        return sendJson(response, 409, { Type: 'User', message: `Function already exist: ${name}` }, { 'x-amzn-errortype': 'ResourceConflictException' });
      const code = input['Code'] as { ZipFile?: string } | undefined;
      if (!name || !code?.ZipFile || !input['Handler']) {
        return sendJson(
          response,
          400,
          { Type: 'User', message: 'FunctionName, Handler and Code.ZipFile are required' },
          { 'x-amzn-errortype': 'InvalidParameterValueException' },
        );
      }
      const config: FunctionConfig = {
        FunctionName: name,
        Runtime: String(input['Runtime'] ?? 'nodejs22.x'),
        Handler: String(input['Handler']),
        MemorySize: Number(input['MemorySize'] ?? 128),
        Timeout: Number(input['Timeout'] ?? 3),
        Role: String(input['Role'] ?? ''),
        Environment: { Variables: (input['Environment'] as { Variables?: Record<string, string> } | undefined)?.Variables ?? {} },
      };
      const tooLarge = environmentProblem(config.Environment.Variables);
      if (tooLarge) return sendJson(response, 400, { Type: 'User', message: tooLarge }, { 'x-amzn-errortype': 'InvalidParameterValueException' });
      functions.create(config, Buffer.from(code.ZipFile, 'base64'));
      tags.set(name, { ...((input['Tags'] as Record<string, string> | undefined) ?? {}) });
      if (pendingMs > 0) pendingUntil.set(name, Date.now() + pendingMs);
      return sendJson(response, 201, describe(config));
    }
    const tagged = /^\/2017-03-31\/tags\/(.+)$/.exec(path);
    if (tagged && request.method === 'GET') {
      const name = nameOf(tagged[1]!);
      if (!functions.get(name)) return notFound(response, name);
      return sendJson(response, 200, { Tags: tags.get(name) ?? {} });
    }
    const eventConfig = /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/.exec(path);
    if (eventConfig) {
      const name = nameOf(eventConfig[1]!);
      if (!FUNCTION_NAME.test(name)) return invalidName(response, name);
      if (!functions.get(name)) return notFound(response, name);
      if (request.method === 'PUT' || request.method === 'POST') functions.putEventInvokeConfig(name, json() as EventInvokeConfig);
      const config = functions.eventInvokeConfig(name);
      if (!config)
        return sendJson(
          response,
          404,
          { Type: 'User', message: `The function ${arnOf(name)} doesn't have an EventInvokeConfig` },
          { 'x-amzn-errortype': 'ResourceNotFoundException' },
        );
      return sendJson(response, 200, { ...config, FunctionArn: arnOf(name), LastModified: Date.now() / 1000 });
    }
    const match = /^\/2015-03-31\/functions\/([^/]+)(\/invocations|\/configuration)?$/.exec(path);
    if (!match) return sendJson(response, 404, { message: `no route for ${request.method} ${path}` }, { 'x-amzn-errortype': 'UnknownOperationException' });
    const name = nameOf(match[1]!);
    if (!FUNCTION_NAME.test(name)) return invalidName(response, name);
    const config = functions.get(name);
    // Invoke names the version it looked for, as the service does (`...:function:f:$LATEST`).
    if (!config) return notFound(response, match[2] === '/invocations' ? `${name}:${url.searchParams.get('Qualifier') ?? '$LATEST'}` : name);
    const sub = match[2];
    if (request.method === 'GET' && sub === undefined)
      return sendJson(response, 200, { Configuration: describe(config), Code: { RepositoryType: 'S3', Location: '' }, Tags: tags.get(name) ?? {} });
    if (request.method === 'GET' && sub === '/configuration') return sendJson(response, 200, describe(config));
    const busy = (request.method === 'PUT' && sub === '/configuration') || (request.method === 'POST' && sub === '/invocations');
    if (busy && stateOf(name) === 'Pending') {
      return sendJson(
        response,
        409,
        { Type: 'User', message: 'The operation cannot be performed at this time. The function is currently in the following state: Pending' },
        { 'x-amzn-errortype': 'ResourceConflictException' },
      );
    }
    if (request.method === 'PUT' && sub === '/configuration') {
      const update = json() as Partial<FunctionConfig>;
      const tooLarge = update.Environment ? environmentProblem(update.Environment.Variables ?? {}) : undefined;
      if (tooLarge) return sendJson(response, 400, { Type: 'User', message: tooLarge }, { 'x-amzn-errortype': 'InvalidParameterValueException' });
      return sendJson(response, 200, describe(functions.updateConfig(name, update)));
    }
    if (request.method === 'DELETE' && sub === undefined) {
      pendingUntil.delete(name);
      tags.delete(name);
      await functions.delete(name);
      return sendJson(response, 204, undefined);
    }
    if (request.method === 'POST' && sub === '/invocations') {
      const type = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      // Lambda's payload limits: 6 MB synchronous, 1 MB asynchronous (256 KB until October 2025).
      const limitBytes = type === 'Event' ? 1024 * 1024 : 6 * 1024 * 1024;
      if (body.length > limitBytes) {
        return sendJson(
          response,
          413,
          { Type: 'User', message: `Request must be smaller than ${limitBytes} bytes for the ${type} invocation type` },
          { 'x-amzn-errortype': 'RequestTooLargeException' },
        );
      }
      if (throttleProbability > 0 && Math.random() < throttleProbability) {
        throttled++;
        return sendJson(
          response,
          429,
          { Type: 'User', message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
          { 'x-amzn-errortype': 'TooManyRequestsException' },
        );
      }
      const event: unknown = body.length > 0 ? JSON.parse(body.toString('utf8')) : null;
      if (type === 'DryRun') return sendJson(response, 204, undefined);
      if (type === 'Event') {
        void functions.invokeEvent(name, event);
        return sendJson(response, 202, undefined);
      }
      const outcome = await functions.invoke(name, event);
      const headers = { 'x-amz-executed-version': '$LATEST' };
      if ('error' in outcome) return sendJson(response, 200, outcome.error, { ...headers, 'x-amz-function-error': 'Unhandled' });
      // A synchronous response holds 6 MB too: a larger one is the function's error, in Lambda's words.
      if (Buffer.byteLength(JSON.stringify(outcome.result) ?? '') > RESPONSE_LIMIT_BYTES) {
        const error = {
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT_BYTES} bytes).`,
        };
        return sendJson(response, 200, error, { ...headers, 'x-amz-function-error': 'Unhandled' });
      }
      return sendJson(response, 200, outcome.result, headers);
    }
    return sendJson(response, 405, { message: `${request.method} not allowed on ${path}` });
  };

  const { server, url } = await listen((request, response) => {
    handle(request, response).catch((error: Error) => sendJson(response, 500, { message: error.message }, { 'x-amzn-errortype': 'ServiceException' }));
  }, options.port);
  return {
    url,
    region,
    credentials,
    functions,
    throttle: (probability) => {
      throttleProbability = probability;
    },
    get throttled() {
      return throttled;
    },
    close: () => closeAll(server, functions),
  };
}

function invalidName(response: ServerResponse, name: string): void {
  sendJson(
    response,
    400,
    {
      Type: 'User',
      message: `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME.source}`,
    },
    { 'x-amzn-errortype': 'ValidationException' },
  );
}

/** A function name, from a name or an ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`). */
/** Lambda's limit on a function's environment variables: 4 KB, measured over their JSON. */
export const ENVIRONMENT_LIMIT_BYTES = 4096;

function environmentProblem(variables: Readonly<Record<string, string>>): string | undefined {
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) <= ENVIRONMENT_LIMIT_BYTES) return undefined;
  return `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured.slice(0, 200)}${measured.length > 200 ? '...' : ''}`;
}

export function nameOf(nameOrArn: string): string {
  const parts = nameOrArn.split(':');
  return parts.length >= 7 && parts[5] === 'function' ? parts[6]! : nameOrArn;
}

async function closeAll(server: Server, functions: LocalFunctions): Promise<void> {
  await closeServer(server);
  await functions.close();
}
