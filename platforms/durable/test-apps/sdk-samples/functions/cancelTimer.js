const df = require('durable-functions');
const { addSeconds } = require('./settings.js');
const cancelTimer = function* (context) {
  const timeoutTask = context.df.createTimer(addSeconds(context.df.currentUtcDateTime, 120));
  const hello = yield context.df.callActivity('sayHello', 'from the other side');
  if (!timeoutTask.isCompleted) timeoutTask.cancel();
  return hello;
};
df.app.orchestration('cancelTimer', cancelTimer);
