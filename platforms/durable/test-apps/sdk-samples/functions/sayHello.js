const df = require('durable-functions');
const helloActivityName = 'sayHello';
const helloSequence = function* (context) {
  context.log('Starting chain sample');
  const output = [];
  output.push(yield context.df.callActivity(helloActivityName, 'Tokyo'));
  output.push(yield context.df.callActivity(helloActivityName, 'Seattle'));
  output.push(yield context.df.callActivity(helloActivityName, 'Cairo'));
  return output;
};
df.app.orchestration('helloSequence', helloSequence);
const sayHelloWithActivity = function* (context) {
  const input = context.df.getInput();
  const output = yield context.df.callActivity(helloActivityName, input);
  return output;
};
df.app.orchestration('sayHelloWithActivity', sayHelloWithActivity);
const sayHelloWithCustomStatus = function* (context) {
  const input = context.df.getInput();
  const output = yield context.df.callActivity(helloActivityName, input);
  context.df.setCustomStatus(output);
  return output;
};
df.app.orchestration('sayHelloWithCustomStatus', sayHelloWithCustomStatus);
// As in the sample: the input goes to the child wrapped in an object.
const sayHelloWithSubOrchestrator = function* (context) {
  const input = context.df.getInput();
  const output = yield context.df.callSubOrchestrator('sayHelloWithActivity', { input });
  return output;
};
df.app.orchestration('sayHelloWithSubOrchestrator', sayHelloWithSubOrchestrator);
const helloActivity = (input) => `Hello ${input}`;
df.app.activity(helloActivityName, { handler: helloActivity });
