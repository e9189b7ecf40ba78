/** The Durable app `bench/durable-fanout.ts` measures: a fan-out of `width` activities that each wait `ms`. */
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

df.app.activity('Wait', { handler: (ms: number) => new Promise((resolve) => setTimeout(() => resolve(ms), ms)) });

df.app.orchestration('FanOutWait', function* (context: OrchestrationContext) {
  const { width, ms } = context.df.getInput() as { width: number; ms: number };
  return yield context.df.Task.all(Array.from({ length: width }, () => context.df.callActivity('Wait', ms)));
});
