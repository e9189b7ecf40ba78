/**
 * What the Durable extension hands a function with a `durableClient` input binding
 * (`df.getClient` reads it): the task hub, the webhook URL templates, and for
 * out-of-process SDKs the `rpcBaseUrl` they call instead.
 */
export const TASK_HUB = 'BatonHub';

export interface DurableClientData {
  readonly taskHubName: string;
  readonly creationUrls: Readonly<Record<string, string>>;
  readonly managementUrls: Readonly<Record<string, string>>;
  readonly baseUrl: string;
  readonly requiredQueryStringParameters: string;
  readonly rpcBaseUrl: string;
}

/** `base`: the webhook root (…/runtime/webhooks/durabletask, no trailing slash); `query`: what every URL carries. */
export function clientDataFor(base: string, query: string, rpcBaseUrl: string): DurableClientData {
  const instance = `${base}/instances/INSTANCEID`;
  return {
    taskHubName: TASK_HUB,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: `${instance}?${query}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${instance}?${query}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
      resumePostUri: `${instance}/resume?reason={text}&${query}`,
    },
    baseUrl: base,
    requiredQueryStringParameters: query,
    rpcBaseUrl,
  };
}
