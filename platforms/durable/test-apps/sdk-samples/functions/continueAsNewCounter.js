const df = require('durable-functions');
const { addSeconds, seconds } = require('./settings.js');
const continueAsNewCounter = function* (context) {
  let currentValue = context.df.getInput() || 0;
  context.log(`Value is ${currentValue}`);
  currentValue++;
  yield context.df.createTimer(addSeconds(context.df.currentUtcDateTime, seconds('COUNTER_INTERVAL_SECONDS', 30)));
  if (currentValue < 10) context.df.continueAsNew(currentValue);
  return currentValue;
};
df.app.orchestration('continueAsNewCounter', continueAsNewCounter);
