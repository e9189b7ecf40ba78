/**
 * An app that registers fine in the host's main thread but whose activity workers
 * cannot load it (as when a dependency is missing where activities run).
 */
import { isMainThread } from 'node:worker_threads';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

if (!isMainThread) throw new Error('cannot load the app in an activity worker');

df.app.activity('Hello', { handler: (name: string) => `Hello ${name}` });
df.app.orchestration('CallHello', function* (context: OrchestrationContext) {
  return yield context.df.callActivity('Hello', 'x');
});
