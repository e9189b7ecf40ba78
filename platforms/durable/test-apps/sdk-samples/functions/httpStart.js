const { app } = require('@azure/functions');
const df = require('durable-functions');
const httpStart = async (request, context) => {
  const client = df.getClient(context);
  const body = await request.json();
  const instanceId = await client.startNew(request.params.orchestratorName, { input: body });
  context.log(`Started orchestration with ID = '${instanceId}'.`);
  return client.createCheckStatusResponse(request, instanceId);
};
app.http('httpStart', {
  route: 'orchestrators/{orchestratorName}',
  extraInputs: [df.input.durableClient()],
  handler: httpStart,
});
