const df = require('durable-functions');
const { seconds } = require('./settings.js');
const subOrchestratorName = 'throwsErrorInLine';
// As in the sample: the id meant for the child travels inside its input, so the child gets a default id.
const callSubOrchestratorWithRetry = function* (context) {
  const retryOptions = new df.RetryOptions(seconds('RETRY_INTERVAL_SECONDS', 10) * 1000, 2);
  const childId = `${context.df.instanceId}:0`;
  let returnValue;
  try {
    returnValue = yield context.df.callSubOrchestratorWithRetry(subOrchestratorName, retryOptions, { input: 'Input', instanceId: childId });
  } catch {
    context.log('Orchestrator caught exception. Sub-orchestrator failed.');
  }
  return returnValue;
};
df.app.orchestration('callSubOrchestratorWithRetry', callSubOrchestratorWithRetry);
// biome-ignore lint/correctness/useYield: an orchestrator is a generator even when it only throws, as in the sample
const flakyOrchestrator = function* () {
  throw new Error(`${subOrchestratorName} does what it says on the tin.`);
};
df.app.orchestration(subOrchestratorName, flakyOrchestrator);
