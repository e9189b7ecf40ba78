const df = require('durable-functions');
const callActivityWithRetry = function* (context) {
  const retryOptions = new df.RetryOptions(1000, 2);
  let returnValue;
  try {
    returnValue = yield context.df.callActivityWithRetry('flakyFunction', retryOptions);
  } catch {
    context.log('Orchestrator caught exception. Flaky function is extremely flaky.');
  }
  return returnValue;
};
df.app.orchestration('callActivityWithRetry', callActivityWithRetry);
const flakyFunction = (_input, context) => {
  context.log('Flaky Function Flaking!');
  throw new Error('FlakyFunction flaked');
};
df.app.activity('flakyFunction', { handler: flakyFunction });
