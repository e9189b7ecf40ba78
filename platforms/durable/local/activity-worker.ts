/**
 * One activity worker: a thread that loads the Function App's entry module (which
 * registers its functions through `@azure/functions-core`, as in Azure's Node.js
 * worker) and runs one activity invocation at a time through the handler
 * `durable-functions` registered.
 */
import { parentPort, workerData } from 'node:worker_threads';
import azureFunctions from '@azure/functions';
import { registrations } from '@azure/functions-core';
import { loadApp } from './app-loader.ts';

// @azure/functions is a webpack bundle: Node cannot see its named exports from ESM.
const { InvocationContext } = azureFunctions;

export interface ActivityRequest {
  readonly id: number;
  readonly name: string;
  readonly input: string;
  readonly injectFailure: boolean;
}
export type ActivityReply =
  | { readonly id: number; readonly result: string }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly stack: string } };

const { appUrl } = workerData as { appUrl: string };
// The app's modules (a JSON list, as the host loaded them) or one module URL.
await loadApp(appUrl.startsWith('[') ? (JSON.parse(appUrl) as string[]) : [appUrl]);
const port = parentPort!;

port.on('message', async (request: ActivityRequest) => {
  try {
    if (request.injectFailure) throw new Error('injected fault (activity-error): the activity host failed this invocation');
    const registration = registrations().get(request.name);
    if (registration?.metadata.bindings[Object.keys(registration.metadata.bindings)[0]!]?.type !== 'activityTrigger') {
      throw new Error(`The function '${request.name}' doesn't exist, is disabled, or is not an activity function`);
    }
    const context = new InvocationContext({ invocationId: `activity-${request.id}`, functionName: request.name });
    const result = await registration.callback(request.input === '' ? undefined : JSON.parse(request.input), context);
    port.postMessage({ id: request.id, result: JSON.stringify(result ?? null) } satisfies ActivityReply);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ id: request.id, error: { name: err.name, message: err.message, stack: err.stack ?? '' } } satisfies ActivityReply);
  }
});
port.postMessage({ ready: true });
