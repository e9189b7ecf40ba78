import { startLocalLambda } from '../aws-local/lambda/server.ts';
import { startLocalStepFunctions } from './local/sfn-server.ts';

/** The local Step Functions and Lambda endpoints on their own, for the AWS CLI or a user's SDK code. */
export async function serveAsf(): Promise<{ endpoints: Record<string, string>; close(): Promise<void> }> {
  const lambda = await startLocalLambda();
  const sfn = await startLocalStepFunctions({ lambdaUrl: lambda.url });
  return {
    endpoints: { stepfunctions: sfn.url, lambda: lambda.url },
    close: async () => {
      await sfn.close();
      await lambda.close();
    },
  };
}
