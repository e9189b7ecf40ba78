/**
 * After CreateFunction, Lambda keeps a function `Pending` until it can run it, and refuses
 * invokes and configuration updates meanwhile (ResourceConflictException, which the SDK
 * does not retry). The AWS adapters wait for `Active` before they go on, in both targets.
 * The SDK's own waiter polls at a 1 s minimum; this one backs off from 1 ms.
 */
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { pollUntil } from '../../harness/adapter-kit/index.ts';

/** A new function becomes Active within minutes on AWS; one that does not has failed to deploy. */
const ACTIVE_TIMEOUT_MS = 5 * 60_000;

export async function waitUntilActive(lambda: LambdaClient, names: readonly string[], maxIntervalMs: number): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      let state = 'Pending';
      await pollUntil(
        async () => {
          const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
          state = config.State ?? 'Active';
          if (state === 'Failed') throw new Error(`function ${name} failed to deploy: ${config.StateReason ?? config.StateReasonCode ?? 'no reason given'}`);
          return state === 'Active' ? true : undefined;
        },
        { timeoutMs: ACTIVE_TIMEOUT_MS, maxIntervalMs, describe: () => `function ${name} still ${state}` },
      );
    }),
  );
}
