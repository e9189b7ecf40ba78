/**
 * Task states that call Lambda, run the way the service runs them: an HTTP Invoke of the
 * local Lambda endpoint through the unmodified SDK client, with the service's history
 * events and result shapes. A direct function ARN is the legacy integration
 * (LambdaFunction* events, the function's payload as result); `arn:aws:states:::lambda:invoke`
 * the optimized one (Task* events, the Invoke response with its HTTP metadata as result,
 * Lambda's service errors as `Lambda.<Exception>`).
 */
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import { StatesError } from './asl/errors.ts';
import type { TaskCall, TaskRunner } from './asl/frame.ts';
import { withoutTruncation } from './asl/history.ts';
import type { Json } from './asl/json.ts';

const FUNCTION_ARN = /^arn:aws:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/;
const OPTIMIZED = 'arn:aws:states:::lambda:invoke';

/** Why the stand-in cannot run a Task's resource, or undefined when it can. */
export function unsupportedResource(resource: string): string | undefined {
  if (FUNCTION_ARN.test(resource) || resource === OPTIMIZED) return undefined;
  if (resource.startsWith(`${OPTIMIZED}.`))
    return `'${resource}': the local stand-in runs Lambda tasks with the request-response pattern only (no .waitForTaskToken)`;
  return `'${resource}': the local stand-in runs Lambda tasks only (a function ARN or arn:aws:states:::lambda:invoke)`;
}

export class LambdaTasks implements TaskRunner {
  private readonly lambda: LambdaClient;
  private readonly region: string;

  constructor(lambda: LambdaClient, region: string) {
    this.lambda = lambda;
    this.region = region;
  }

  async run(call: TaskCall): Promise<Json> {
    const optimized = call.resource === OPTIMIZED;
    const { history, thread } = call;
    const timeout = call.timeoutSeconds === undefined ? {} : { timeoutInSeconds: call.timeoutSeconds };
    const service = { resourceType: 'lambda', resource: 'invoke' };
    let functionName: string;
    let payload: Json;
    if (optimized) {
      const args = (call.input ?? {}) as { FunctionName?: Json; Payload?: Json };
      functionName = String(args.FunctionName ?? '');
      // A string Payload is the request's JSON text as it is; anything else is encoded.
      payload = args.Payload === undefined ? {} : args.Payload;
      history.add(thread, 'TaskScheduled', {
        taskScheduledEventDetails: { ...service, region: this.region, parameters: JSON.stringify(call.input), ...timeout },
      });
      history.add(thread, 'TaskStarted', { taskStartedEventDetails: service });
    } else {
      functionName = call.resource;
      payload = call.input;
      history.add(thread, 'LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: { resource: call.resource, ...withoutTruncation('input', payload), ...timeout },
      });
      history.add(thread, 'LambdaFunctionStarted', {});
    }
    const failed = (error: string, cause: string | undefined): StatesError => {
      const details = { error, ...(cause === undefined ? {} : { cause }) };
      history.add(
        thread,
        optimized ? 'TaskFailed' : 'LambdaFunctionFailed',
        optimized ? { taskFailedEventDetails: { ...service, ...details } } : { lambdaFunctionFailedEventDetails: details },
      );
      return new StatesError(error, cause);
    };

    let response: InvokeCommandOutput;
    try {
      response = await withTimeout(
        this.lambda.send(
          new InvokeCommand({ FunctionName: functionName, Payload: optimized && typeof payload === 'string' ? payload : JSON.stringify(payload) }),
        ),
        call.timeoutSeconds,
      );
    } catch (thrown) {
      if (thrown === TIMED_OUT) {
        history.add(
          thread,
          optimized ? 'TaskTimedOut' : 'LambdaFunctionTimedOut',
          optimized
            ? { taskTimedOutEventDetails: { ...service, error: 'States.Timeout' } }
            : { lambdaFunctionTimedOutEventDetails: { error: 'States.Timeout' } },
        );
        throw new StatesError('States.Timeout', undefined);
      }
      const { name, message, $metadata } = thrown as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
      const code = name ?? 'ServiceException';
      const cause = `${message ?? code} (Service: AWSLambda; Status Code: ${$metadata?.httpStatusCode ?? 500}; Error Code: ${code}; Request ID: ${$metadata?.requestId ?? 'unknown'}; Proxy: null)`;
      throw failed(`Lambda.${code}`, cause);
    }
    const text = response.Payload && response.Payload.length > 0 ? Buffer.from(response.Payload).toString('utf8') : 'null';
    const result = parseOrKeep(text);
    if (response.FunctionError) {
      const errorType = (result as { errorType?: Json } | null)?.errorType;
      throw failed(typeof errorType === 'string' ? errorType : 'Lambda.Unknown', text);
    }
    const requestId = response.$metadata.requestId ?? '';
    const output: Json = optimized
      ? {
          ExecutedVersion: response.ExecutedVersion ?? '$LATEST',
          Payload: result,
          SdkHttpMetadata: httpMetadata(Buffer.byteLength(text), response.ExecutedVersion ?? '$LATEST', requestId, response.StatusCode ?? 200),
          SdkResponseMetadata: { RequestId: requestId },
          StatusCode: response.StatusCode ?? 200,
        }
      : result;
    history.add(
      thread,
      optimized ? 'TaskSucceeded' : 'LambdaFunctionSucceeded',
      optimized
        ? { taskSucceededEventDetails: { ...service, ...withoutTruncation('output', output) } }
        : { lambdaFunctionSucceededEventDetails: withoutTruncation('output', output) },
    );
    return output;
  }
}

/** The Invoke response's HTTP metadata as the service's SDK reports it to the state machine. */
function httpMetadata(contentLength: number, executedVersion: string, requestId: string, statusCode: number): Json {
  const date = new Date().toUTCString();
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': String(contentLength),
    'Content-Type': 'application/json',
    Date: date,
    'X-Amz-Executed-Version': executedVersion,
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${requestId.replace(/-/g, '').slice(0, 24)}`,
  };
  return {
    AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    HttpHeaders: headers,
    HttpStatusCode: statusCode,
  };
}

function parseOrKeep(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

const TIMED_OUT = Symbol('timed out');

function withTimeout<T>(work: Promise<T>, seconds: number | undefined): Promise<T> {
  if (seconds === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(TIMED_OUT), seconds * 1000);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
