import { UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2, type LambdaClient } from '@aws-sdk/client-lambda';

/** The methodology, as `baton platforms` states it. */
export const LAMBDA_COLD_STARTS =
  "cold=1 changes every function's configuration before the run (UpdateFunctionConfiguration, as AWS users force new execution environments): each function's next invoke starts a new one (locally, a new worker thread that loads the code). An invocation is cold when its handler loaded the code";

/**
 * Makes the next invocations of these functions cold starts, as on AWS: a configuration
 * change retires every execution environment. `functions`: name -> its environment.
 */
export async function forceColdStarts(lambda: LambdaClient, functions: ReadonlyMap<string, Readonly<Record<string, string>>>, epoch: number): Promise<void> {
  await Promise.all(
    [...functions].map(async ([name, env]) => {
      await lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { ...env, BATON_COLD_EPOCH: String(epoch) } } }),
      );
      await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 120, minDelay: 1 }, { FunctionName: name });
    }),
  );
}
