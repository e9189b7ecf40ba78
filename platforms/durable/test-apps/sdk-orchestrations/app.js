const { existsSync, readFileSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const df = require('durable-functions');

// Activities: what the SDK tests' recorded histories stand for.

/** "Hello, X!"; given { name, counterFile, failTimes }, fails its first failTimes attempts (counted in the file). */
df.app.activity('Hello', {
  handler: (input) => {
    if (input && typeof input === 'object' && input.counterFile) {
      const attempts = (existsSync(input.counterFile) ? Number(readFileSync(input.counterFile, 'utf8')) : 0) + 1;
      writeFileSync(input.counterFile, String(attempts));
      if (attempts <= input.failTimes) throw new Error(`Hello failed attempt ${attempts}`);
      return `Hello, ${input.name}!`;
    }
    return `Hello, ${input}!`;
  },
});
df.app.activity('ReturnsFour', { handler: () => 4 });
const after = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
df.app.activity('TaskA', { handler: (completeInOrder) => after(completeInOrder ? 10 : 400, 'A') });
df.app.activity('TaskB', { handler: (completeInOrder) => after(completeInOrder ? 400 : 10, 'B') });
df.app.activity('GetFileList', { handler: (dir) => readdirSync(dir).map((f) => join(dir, f)) });
df.app.activity('GetFileSize', { handler: (file) => statSync(file).size });
df.app.activity('Merge', { handler: () => null });
df.app.activity('CheckIfMerged', { handler: () => ({ output: true }) });
df.app.activity('ThrowsErrorActivity', {
  handler: () => {
    throw new Error('Activity function error');
  },
});

// The SDK tests' orchestrations (test/testobjects/TestOrchestrations.ts).

// biome-ignore lint/correctness/useYield: the SDK's test orchestration, a generator that only returns
df.app.orchestration('NotGenerator', function* () {
  return 'Hello';
});

df.app.orchestration('YieldInteger', function* () {
  yield 4;
});

df.app.orchestration('AnyAOrB', function* (context) {
  const completeInOrder = context.df.getInput();
  const tasks = [context.df.callActivity('TaskA', completeInOrder), context.df.callActivity('TaskB', completeInOrder)];
  const output = yield context.df.Task.any(tasks);
  return output.result;
});

df.app.orchestration('AnyAOrBYieldATwice', function* (context) {
  const completeInOrder = context.df.getInput();
  const tasks = [context.df.callActivity('TaskA', completeInOrder), context.df.callActivity('TaskB', completeInOrder)];
  const output = yield context.df.Task.any(tasks);
  yield tasks[0];
  return output.result;
});

df.app.orchestration('TimerActivityRace', function* (context) {
  const now = new Date(context.df.currentUtcDateTime).getTime();
  const tasks = [context.df.createTimer(new Date(now + (context.df.getInput() ?? 1000))), context.df.callActivity('TaskA', true)];
  const output = yield context.df.Task.any(tasks);
  if (output === tasks[1]) {
    yield context.df.callActivity('TaskB', true);
  } else if (output === tasks[0]) {
    return 'Timer finished';
  } else {
    throw new Error("context.df.Task.any() didn't return a task");
  }
  return output.result;
});

df.app.orchestration('AnyWithTaskSet', function* (context) {
  const now = new Date(context.df.currentUtcDateTime).getTime();
  const timeoutTask = context.df.createTimer(new Date(now + (context.df.getInput() ?? 300000)));
  const first = context.df.waitForExternalEvent('firstRequiredEvent');
  const second = context.df.waitForExternalEvent('secondRequiredEvent');
  const winner = yield context.df.Task.any([context.df.Task.all([first, second]), timeoutTask]);
  const outputs = [];
  if (winner === timeoutTask) {
    outputs.push('timeout');
  } else {
    const okaction = yield context.df.callActivity('Hello', 'Tokyo');
    timeoutTask.cancel();
    outputs.push(okaction);
  }
  return outputs;
});

df.app.orchestration('CallActivityNoInput', function* (context) {
  return yield context.df.callActivity('ReturnsFour');
});

df.app.orchestration('CallEntitySet', function* (context) {
  const { name, key } = context.df.getInput();
  yield context.df.callEntity(new df.EntityId(name, key), 'set', 'testString');
  return 'OK';
});

// biome-ignore lint/correctness/useYield: the SDK's test orchestration, a generator that only returns
df.app.orchestration('CheckForLocksNone', function* (context) {
  return context.df.isLocked();
});

// The SDK's version continues for ever (its test replays one episode); this one stops at 5.
// biome-ignore lint/correctness/useYield: the SDK's test orchestration, a generator that only continues as new
df.app.orchestration('ContinueAsNewCounter', function* (context) {
  const input = context.df.getInput();
  let currentValue = input ? (input.value ? input.value : 0) : 0;
  currentValue++;
  if (currentValue < 5) context.df.continueAsNew({ value: currentValue });
  return currentValue;
});

// biome-ignore lint/correctness/useYield: the SDK's test orchestration, fire-and-forget only
df.app.orchestration('signalEntity', function* (context) {
  const { id, entityName, operationName, operationArgument } = context.df.getInput();
  context.df.signalEntity(new df.EntityId(entityName, id), operationName, operationArgument);
});

df.app.orchestration('signalEntityYield', function* (context) {
  const { id, entityName, operationName, operationArgument } = context.df.getInput();
  yield context.df.signalEntity(new df.EntityId(entityName, id), operationName, operationArgument);
});

df.app.orchestration('FanOutFanInDiskUsage', function* (context) {
  const files = yield context.df.callActivity('GetFileList', context.df.getInput());
  const results = yield context.df.Task.all(files.map((file) => context.df.callActivity('GetFileSize', file)));
  return results.reduce((sum, n) => sum + n, 0);
});

df.app.orchestration('TaskAllWithNoChildren', function* (context) {
  return yield context.df.Task.all([]);
});

df.app.orchestration('TaskAnyWithNoChildren', function* (context) {
  return yield context.df.Task.any([]);
});

df.app.orchestration('GetAndReleaseLock', function* (context) {
  yield context.df.lock(context.df.getInput());
  return 'ok';
});

df.app.orchestration('GetLockBadly', function* (context) {
  yield context.df.lock(context.df.getInput());
  return 'ok';
});

// biome-ignore lint/correctness/useYield: the SDK's test orchestration, no task to wait for
df.app.orchestration('GuidGenerator', function* (context) {
  return [context.df.newGuid(), context.df.newGuid(), context.df.newGuid()];
});

// biome-ignore lint/correctness/useYield: the SDK's test orchestration, no task to wait for
df.app.orchestration('PassThrough', function* (context) {
  return context.df.getInput();
});

// biome-ignore lint/correctness/useYield: the SDK's test orchestration, no task to wait for
df.app.orchestration('SayHelloInline', function* (context) {
  return `Hello, ${context.df.getInput()}!`;
});

df.app.orchestration('SayHelloInlineInproperYield', function* (context) {
  const input = yield context.df.getInput();
  return `Hello, ${input}!`;
});

df.app.orchestration('SayHelloWithActivity', function* (context) {
  return yield context.df.callActivity('Hello', context.df.getInput());
});

df.app.orchestration('SayHelloWithActivityYieldTwice', function* (context) {
  const task = context.df.callActivity('Hello', context.df.getInput());
  yield task;
  yield task;
  return yield task;
});

// biome-ignore lint/correctness/useYield: the SDK's test orchestration returns the task instead of yielding it
df.app.orchestration('SayHelloWithActivityDirectReturn', function* (context) {
  return context.df.callActivity('Hello', context.df.getInput());
});

const retryInterval = (context) => context.df.getInput()?.retryIntervalMs ?? 10000;

df.app.orchestration('SayHelloWithActivityRetry', function* (context) {
  return yield context.df.callActivityWithRetry('Hello', new df.RetryOptions(retryInterval(context), 2), context.df.getInput());
});

df.app.orchestration('SayHelloWithActivityRetryAndReturnTimestamps', function* (context) {
  const timestamps = [context.df.currentUtcDateTime];
  try {
    yield context.df.callActivityWithRetry('Hello', new df.RetryOptions(retryInterval(context), 2), context.df.getInput());
  } catch {
    // pass
  }
  timestamps.push(context.df.currentUtcDateTime);
  return timestamps;
});

df.app.orchestration('SayHelloWithActivityRetryFanout', function* (context) {
  const retryOptions = new df.RetryOptions(100, 5);
  const [tokyo, seattle] = context.df.getInput() ?? ['Tokyo', 'Seattle'];
  return yield context.df.Task.all([
    context.df.callActivityWithRetry('Hello', retryOptions, tokyo),
    context.df.callActivityWithRetry('Hello', retryOptions, seattle),
  ]);
});

df.app.orchestration('SayHelloWithActivityRetryNoOptions', function* (context) {
  return yield context.df.callActivityWithRetry('Hello', undefined, 'World');
});

df.app.orchestration('SayHelloWithCustomStatus', function* (context) {
  const output = [];
  output.push(yield context.df.callActivity('Hello', 'Tokyo'));
  context.df.setCustomStatus('Tokyo');
  output.push(yield context.df.callActivity('Hello', 'Seattle'));
  context.df.setCustomStatus('Seattle');
  output.push(yield context.df.callActivity('Hello', 'London'));
  context.df.setCustomStatus('London');
  return output;
});

df.app.orchestration('SayHelloWithSubOrchestrator', function* (context) {
  return yield context.df.callSubOrchestrator('SayHelloWithActivity', context.df.getInput(), `${context.df.instanceId}:0`);
});

df.app.orchestration('SayHelloWithSubOrchestratorNoSubId', function* (context) {
  return yield context.df.callSubOrchestrator('SayHelloWithActivity', context.df.getInput());
});

df.app.orchestration('MultipleSubOrchestratorNoSubId', function* (context) {
  const input = context.df.getInput();
  const a = 'SayHelloWithActivity';
  const b = 'SayHelloInline';
  return yield context.df.Task.all([
    context.df.callSubOrchestrator(a, `${input}_${a}_0`),
    context.df.callSubOrchestrator(b, `${input}_${b}_1`),
    context.df.callSubOrchestrator(a, `${input}_${a}_2`),
    context.df.callSubOrchestrator(b, `${input}_${b}_3`),
  ]);
});

df.app.orchestration('SayHelloWithSubOrchestratorRetry', function* (context) {
  const input = context.df.getInput();
  return yield context.df.callSubOrchestratorWithRetry('SayHelloInline', new df.RetryOptions(10000, 2), input, `${context.df.instanceId}:0`);
});

df.app.orchestration('SayHelloWithSubOrchestratorRetryFanout', function* (context) {
  const retryOptions = new df.RetryOptions(100, 5);
  return yield context.df.Task.all([
    context.df.callSubOrchestratorWithRetry('SayHelloInline', retryOptions, 'Tokyo'),
    context.df.callSubOrchestratorWithRetry('SayHelloInline', retryOptions, 'Seattle'),
  ]);
});

df.app.orchestration('SayHelloWithSubOrchestratorRetryNoOptions', function* (context) {
  return yield context.df.callSubOrchestratorWithRetry('SayHelloInline', undefined, 'World', `${context.df.instanceId}:0`);
});

df.app.orchestration('SayHelloSequence', function* (context) {
  const output = [];
  output.push(yield context.df.callActivity('Hello', 'Tokyo'));
  output.push(yield context.df.callActivity('Hello', 'Seattle'));
  output.push(yield context.df.callActivity('Hello', 'London'));
  return output;
});

df.app.orchestration('SendHttpRequest', function* (context) {
  const input = context.df.getInput();
  return yield context.df.callHttp({
    method: input.method,
    url: input.uri,
    body: input.content,
    headers: input.headers,
    tokenSource: input.tokenSource,
    enablePolling: input.asynchronousPatternEnabled,
  });
});

df.app.orchestration('TimestampExhaustion', function* (context) {
  const payload = context.df.getInput();
  yield context.df.callActivity('Merge');
  if (payload.delayMergeUntilSecs) {
    const now = new Date(context.df.currentUtcDateTime).getTime();
    yield context.df.createTimer(new Date(now + payload.delayMergeUntilSecs * 1000));
  }
  let x = 0;
  do {
    const result = yield context.df.callActivity('CheckIfMerged');
    if (result.output) return 'Merge successful';
    yield context.df.waitForExternalEvent('CheckPrForMerge');
    x++;
  } while (x < 10);
});

df.app.orchestration('WaitForExternalEvent', function* (context) {
  const name = yield context.df.waitForExternalEvent('start');
  return yield context.df.callActivity('Hello', name);
});

df.app.orchestration('WaitOnTimer', function* (context) {
  yield context.df.createTimer(new Date(context.df.getInput()));
  return 'Timer fired!';
});

df.app.orchestration('ThrowsExceptionFromActivity', function* (context) {
  yield context.df.callActivity('ThrowsErrorActivity');
});

df.app.orchestration('ThrowsExceptionFromActivityWithCatch', function* (context) {
  try {
    yield context.df.callActivity('ThrowsErrorActivity');
  } catch {
    return yield context.df.callActivity('Hello', context.df.getInput());
  }
});

// biome-ignore lint/correctness/useYield: the SDK's test orchestration, it only throws
df.app.orchestration('ThrowsExceptionInline', function* () {
  throw Error('Exception from Orchestrator');
});

// A critical section, as the SDK documents lock(): both entities locked, called, released.
df.app.orchestration('TransferInLock', function* (context) {
  const { from, to, amount } = context.df.getInput();
  const source = new df.EntityId('Counter', from);
  const target = new df.EntityId('Counter', to);
  const lock = yield context.df.lock(source, target);
  const held = context.df.isLocked();
  const balance = yield context.df.callEntity(source, 'get');
  yield context.df.callEntity(source, 'set', balance - amount);
  yield context.df.callEntity(target, 'add', amount);
  lock.release();
  return { locked: held.isLocked, owned: held.ownedLocks.length, after: context.df.isLocked().isLocked };
});

// The SDK tests' entities (test/testobjects/testentities.ts).

df.app.entity('StringStore', (context) => {
  switch (context.df.operationName) {
    case 'set':
      context.df.setState(context.df.getInput() || '');
      break;
    case 'get':
      context.df.return(context.df.getState() || '');
      break;
    default:
      throw new Error('No such operation exists');
  }
});

// As the SDK's Counter, except that it starts from 0 (the SDK's refuses any operation before a state and an input are set).
df.app.entity('Counter', (context) => {
  const input = context.df.getInput();
  const state = context.df.getState(() => 0);
  switch (context.df.operationName) {
    case 'increment':
      context.df.setState(state + 1);
      break;
    case 'add':
      context.df.setState(state + input);
      break;
    case 'get':
      context.df.return(state);
      break;
    case 'set':
      context.df.setState(input);
      break;
    case 'delete':
      context.df.destructOnExit();
      break;
    default:
      throw Error('Invalid operation');
  }
});

df.app.entity('AsyncStringStore', async (context) => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  switch (context.df.operationName) {
    case 'set':
      context.df.setState(context.df.getInput() || '');
      break;
    case 'get':
      context.df.return(context.df.getState() || '');
      break;
    default:
      throw new Error('No such operation exists');
  }
});

// Calls an entity operation and returns its result (or the error it answered with).
df.app.orchestration('CallEntityOp', function* (context) {
  const { name, key, op, input } = context.df.getInput();
  try {
    return { result: yield context.df.callEntity(new df.EntityId(name, key), op, input) };
  } catch (error) {
    return { error: String(error.message ?? error) };
  }
});

// The version the instance was started with (Baton's own probe).
// biome-ignore lint/correctness/useYield: returns at once
df.app.orchestration('ReportVersion', function* (context) {
  return context.df.version ?? null;
});

// A parent that fans out to sub-orchestrations, each calling an activity (Baton's own, for the kill test).
df.app.orchestration('FanOutSubs', function* (context) {
  const { width } = context.df.getInput();
  const children = [];
  for (let i = 0; i < width; i++) children.push(context.df.callSubOrchestrator('SayHelloWithActivity', `n${i}`));
  return yield context.df.Task.all(children);
});

// Retries bounded by time (Baton's own probe): every attempt fails; retryTimeoutInMilliseconds ends them.
df.app.orchestration('RetryWithTimeout', function* (context) {
  const { counterFile, intervalMs, timeoutMs } = context.df.getInput();
  const retry = new df.RetryOptions(intervalMs, 50);
  retry.retryTimeoutInMilliseconds = timeoutMs;
  try {
    return yield context.df.callActivityWithRetry('Hello', retry, { name: 'never', counterFile, failTimes: 1000 });
  } catch (error) {
    return `caught: ${error.message}`;
  }
});
