/**
 * Task states that call Lambda, run by the stand-in the way the service runs them:
 * an HTTP Invoke of the local Lambda endpoint through the unmodified SDK client.
 * Direct function ARNs and the optimized `arn:aws:states:::lambda:invoke` integration.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { HistoryRecorder } from './history.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every Task state's Resource, by state name; throws if one name has two different resources. */
export function taskResources(definition: unknown): Map<string, string> {
  const resources = new Map<string, string>();
  const walk = (machine: { States?: Record<string, Record<string, unknown>> } | undefined): void => {
    for (const [name, state] of Object.entries(machine?.States ?? {})) {
      if (state['Type'] === 'Task') {
        const resource = String(state['Resource']);
        const known = resources.get(name);
        if (known !== undefined && known !== resource)
          throw new Error(`States.Runtime: two Task states named '${name}' call different resources; the local stand-in needs unique names`);
        resources.set(name, resource);
      }
      for (const branch of (state['Branches'] as unknown[] | undefined) ?? []) walk(branch as never);
      walk((state['ItemProcessor'] ?? state['Iterator']) as never);
    }
  };
  walk(definition as never);
  return resources;
}

/** An error whose name is what Retry and Catch match (`ErrorEquals`). */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export function lambdaTaskHandlers(
  resources: ReadonlyMap<string, string>,
  lambda: LambdaClient,
  history: HistoryRecorder,
): Record<string, (input: Json) => Promise<Json>> {
  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  for (const [name, resource] of resources) {
    const optimized = resource.startsWith('arn:aws:states:::lambda:invoke');
    if (!optimized && !/^arn:aws:lambda:[^:]*:[^:]*:function:[^:]+/.test(resource)) {
      handlers[name] = async () => {
        throw new TaskError('States.TaskFailed', `the local stand-in runs Lambda tasks only; '${resource}' is not one`);
      };
      continue;
    }
    handlers[name] = async (input) => {
      checkSize(input, name, 'input');
      const functionName = optimized ? String((input as { FunctionName?: Json })?.FunctionName ?? '') : resource;
      const payload = optimized ? ((input as { Payload?: Json })?.Payload ?? null) : input;
      const kind = optimized ? 'Task' : 'LambdaFunction';
      const scheduled = optimized
        ? { taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: lambda.config.region, parameters: JSON.stringify(input) } }
        : { lambdaFunctionScheduledEventDetails: { resource, input: JSON.stringify(input) } };
      history.add(`${kind}Scheduled`, scheduled);
      history.add(`${kind}Started`, optimized ? { taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke' } } : {});
      const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(payload) }));
      const result = out.Payload && out.Payload.length > 0 ? (JSON.parse(Buffer.from(out.Payload).toString('utf8')) as Json) : null;
      if (out.FunctionError) {
        const { errorType, errorMessage } = (result ?? {}) as { errorType?: string; errorMessage?: string };
        const error = errorType ?? 'Lambda.Unknown';
        const cause = JSON.stringify(result);
        history.add(
          `${kind}Failed`,
          optimized
            ? { taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error, cause } }
            : { lambdaFunctionFailedEventDetails: { error, cause } },
        );
        throw new TaskError(error, errorMessage ?? cause);
      }
      checkSize(result, name, 'output');
      const output: Json = optimized ? { ExecutedVersion: out.ExecutedVersion ?? '$LATEST', Payload: result, StatusCode: out.StatusCode ?? 200 } : result;
      history.add(
        `${kind}Succeeded`,
        optimized
          ? { taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke', output: JSON.stringify(output) } }
          : { lambdaFunctionSucceededEventDetails: { output: JSON.stringify(output) } },
      );
      return output;
    };
  }
  return handlers;
}

/** The service's limit on the data a state passes on: 256 KiB of UTF-8 JSON. */
export const STATE_DATA_LIMIT_BYTES = 256 * 1024;

function checkSize(value: Json, state: string, what: string): void {
  const sizeBytes = Buffer.byteLength(JSON.stringify(value));
  if (sizeBytes > STATE_DATA_LIMIT_BYTES) {
    throw new TaskError(
      'States.DataLimitExceeded',
      `The state/task '${state}' ${what} has ${sizeBytes} bytes, more than the limit of ${STATE_DATA_LIMIT_BYTES}`,
    );
  }
}
