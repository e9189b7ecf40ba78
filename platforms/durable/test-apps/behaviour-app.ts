/**
 * A small Durable Functions app, written as an Azure user would write one, that the
 * local host's tests run: replay, retries, try/catch, events, timers,
 * sub-orchestrations, non-determinism, and a slow fan-out to kill the host in.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

df.app.activity('Hello', { handler: (name: string) => `Hello ${name}` });

df.app.activity('Boom', {
  handler: (what: string) => {
    throw new Error(`boom: ${what}`);
  },
});

/** Fails its first `failTimes` attempts (counted in a file: attempts may run on different threads). */
df.app.activity('Flaky', {
  handler: (input: { counterFile: string; failTimes: number }) => {
    let attempts = 0;
    try {
      attempts = Number(readFileSync(input.counterFile, 'utf8'));
    } catch {
      /* first attempt */
    }
    writeFileSync(input.counterFile, String(++attempts));
    if (attempts <= input.failTimes) throw new Error(`flaky attempt ${attempts}`);
    return attempts;
  },
});

/** Sleeps, then logs that it ran (every run, re-runs included) and returns its label. */
df.app.activity('Sleep', {
  handler: async (input: { ms: number; label: string; logFile: string }) => {
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    appendFileSync(input.logFile, `${input.label}\n`);
    return input.label;
  },
});

df.app.orchestration('HelloSequence', function* (context: OrchestrationContext) {
  const out: unknown[] = [];
  for (const city of ['Tokyo', 'Seattle', 'London']) out.push(yield context.df.callActivity('Hello', city));
  return out;
});

df.app.orchestration('CatchBoom', function* (context: OrchestrationContext) {
  try {
    yield context.df.callActivity('Boom', 'caught');
    return 'not reached';
  } catch (error) {
    return `caught: ${(error as Error).message}`;
  }
});

df.app.orchestration('Unhandled', function* (context: OrchestrationContext) {
  return yield context.df.callActivity('Boom', 'unhandled');
});

df.app.orchestration('RetryFlaky', function* (context: OrchestrationContext) {
  return yield context.df.callActivityWithRetry('Flaky', new df.RetryOptions(20, 3), context.df.getInput());
});

/** Retried and plain activities in one Task.all, then more work: retry timers interleave with other results. */
df.app.orchestration('MixedRetries', function* (context: OrchestrationContext) {
  const { dir } = context.df.getInput() as { dir: string };
  const retry = new df.RetryOptions(20, 3);
  const first = (yield context.df.Task.all([
    context.df.callActivityWithRetry('Flaky', retry, { counterFile: `${dir}/a`, failTimes: 1 }),
    context.df.callActivity('Hello', 'one'),
    context.df.callActivityWithRetry('Flaky', retry, { counterFile: `${dir}/b`, failTimes: 2 }),
    context.df.callActivity('Hello', 'two'),
  ])) as unknown[];
  const after = yield context.df.callActivity('Hello', 'after');
  return [...first, after];
});

df.app.orchestration('WaitForApproval', function* (context: OrchestrationContext) {
  const approval = yield context.df.waitForExternalEvent('Approval');
  return `approved by ${String(approval)}`;
});

df.app.orchestration('Timer', function* (context: OrchestrationContext) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 50));
  return 'fired';
});

df.app.orchestration('Parent', function* (context: OrchestrationContext) {
  const child = yield context.df.callSubOrchestrator('HelloSequence');
  return { child };
});

let episodes = 0;
/** Schedules 'Hello' the first time it runs and 'Boom' on replay: a non-deterministic orchestrator. */
df.app.orchestration('NonDeterministic', function* (context: OrchestrationContext) {
  const name = episodes++ === 0 ? 'Hello' : 'Boom';
  yield context.df.callActivity(name, 'a');
  return yield context.df.callActivity('Hello', 'b');
});

df.app.orchestration('FanOutSleep', function* (context: OrchestrationContext) {
  const { n, logFile } = context.df.getInput() as { n: number; logFile: string };
  const tasks = Array.from({ length: n }, (_, i) => context.df.callActivity('Sleep', { ms: 100 + 150 * i, label: `s${i}`, logFile }));
  return yield context.df.Task.all(tasks);
});
