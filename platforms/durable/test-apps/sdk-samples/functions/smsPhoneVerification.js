const { output } = require('@azure/functions');
const df = require('durable-functions');
const { addSeconds, seconds } = require('./settings.js');
const smsPhoneVerification = function* (context) {
  const phoneNumber = context.df.getInput();
  if (!phoneNumber) throw new Error('A phone number input is required.');
  const challengeCode = yield context.df.callActivity('sendSmsChallenge', phoneNumber);
  // The user has 90 seconds to respond with the code they received in the SMS message.
  const timeoutTask = context.df.createTimer(addSeconds(context.df.currentUtcDateTime, seconds('SMS_TIMEOUT_SECONDS', 90)));
  let authorized = false;
  for (let i = 0; i <= 3; i++) {
    const challengeResponseTask = context.df.waitForExternalEvent('SmsChallengeResponse');
    const winner = yield context.df.Task.any([challengeResponseTask, timeoutTask]);
    if (winner === timeoutTask) break;
    if (challengeResponseTask.result === challengeCode) {
      authorized = true;
      break;
    }
  }
  if (!timeoutTask.isCompleted) timeoutTask.cancel();
  return authorized;
};
df.app.orchestration('smsPhoneVerification', smsPhoneVerification);
const twilioOutput = output.generic({
  type: 'twilioSms',
  from: '%TwilioPhoneNumber%',
  accountSidSetting: 'TwilioAccountSid',
  authTokenSetting: 'TwilioAuthToken',
});
const sendSmsChallenge = (phoneNumber, context) => {
  const challengeCode = Math.floor(Math.random() * 10000);
  context.log(`Sending verification code ${challengeCode} to ${phoneNumber}.`);
  context.extraOutputs.set(twilioOutput, { body: `Your verification code is ${challengeCode.toPrecision(4)}`, to: phoneNumber });
  return challengeCode;
};
df.app.activity('sendSmsChallenge', { extraOutputs: [twilioOutput], handler: sendSmsChallenge });
