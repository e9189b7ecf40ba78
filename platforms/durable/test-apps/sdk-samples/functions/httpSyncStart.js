const { app } = require('@azure/functions');
const df = require('durable-functions');
const httpSyncStart = async (request, context) => {
  const client = df.getClient(context);
  const body = await request.json();
  const instanceId = await client.startNew(request.params.orchestratorName, { input: body });
  context.log(`Started orchestration with ID = '${instanceId}'.`);
  const timeoutInMilliseconds = secondsFrom(request, 'timeout') ?? 30_000;
  const retryIntervalInMilliseconds = secondsFrom(request, 'retryInterval') ?? 1000;
  return client.waitForCompletionOrCreateCheckStatusResponse(request, instanceId, { timeoutInMilliseconds, retryIntervalInMilliseconds });
};
app.http('httpSyncStart', {
  methods: ['POST'],
  route: 'orchestrators/wait/{orchestratorName}',
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: httpSyncStart,
});
/** A query parameter given in seconds, in milliseconds. */
function secondsFrom(request, name) {
  const value = Number.parseInt(request.query.get(name) ?? '', 10);
  return value ? value * 1000 : undefined;
}
