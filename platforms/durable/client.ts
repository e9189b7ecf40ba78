/**
 * The real `DurableClient`, made the way a function with a `durableClient` input
 * binding gets it (`df.getClient(context)`), from the data the extension hands that
 * binding: the local host's, or a deployed Function App's (cloud).
 */
import azureFunctions from '@azure/functions';
import * as df from 'durable-functions';
import { InputError } from '../../harness/model/errors.ts';
import { TASK_HUB, clientDataFor, type DurableClientData } from './webhooks.ts';

// @azure/functions is a webpack bundle: Node cannot see its named exports from ESM.
const { InvocationContext } = azureFunctions;

export function durableClient(clientData: DurableClientData): df.DurableClient {
  const binding = df.input.durableClient();
  const context = new InvocationContext({ functionName: 'baton', options: { extraInputs: [binding] } });
  context.extraInputs.set(binding, clientData);
  return df.getClient(context);
}

/** An instance's status URL, without its input, with the full history if asked: the local host's RPC form, or the public webhook with its key. */
export function statusUrl(clientData: DurableClientData, instanceId: string, withHistory: boolean): string {
  const query = `showInput=false${withHistory ? '&showHistory=true&showHistoryOutput=true' : ''}`;
  if (clientData.rpcBaseUrl) return `${clientData.rpcBaseUrl}instances/${encodeURIComponent(instanceId)}?${query}`;
  return `${clientData.managementUrls['statusQueryGetUri']!.replace(clientData.managementUrls['id']!, encodeURIComponent(instanceId))}&${query}`;
}

/**
 * A deployed Function App (`baton deploy durable`): BATON_DURABLE_URL is its origin
 * (https://NAME.azurewebsites.net), BATON_DURABLE_KEY the `durabletask_extension`
 * system key. `df.getClient` rewrites webhook origins to localhost:7071 unless
 * WEBSITE_HOSTNAME is set, as it is inside Azure; Baton drives the app from outside,
 * so it sets it to the app's host.
 */
export function cloudClientData(env: NodeJS.ProcessEnv = process.env): DurableClientData {
  const origin = env['BATON_DURABLE_URL'];
  const key = env['BATON_DURABLE_KEY'];
  if (!origin || !key) {
    throw new InputError(
      'E_BAD_INPUT',
      'durable --target cloud needs BATON_DURABLE_URL (the Function App, https://NAME.azurewebsites.net) and BATON_DURABLE_KEY (its durabletask_extension system key); deploy the app first with `baton deploy durable --out DIR`',
    );
  }
  const url = new URL(origin);
  process.env['WEBSITE_HOSTNAME'] ??= url.host;
  return clientDataFor(`${url.origin}/runtime/webhooks/durabletask`, `taskHub=${TASK_HUB}&connection=Storage&code=${encodeURIComponent(key)}`, '');
}
