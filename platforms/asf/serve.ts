import { startLocalLambda } from '../aws-local/lambda/server.ts';
import { startLocalStepFunctions } from './local/sfn-server.ts';
import { startLocalS3 } from '../aws-local/s3.ts';
import type { LocalCredentials } from '../aws-local/credentials.ts';

/** The local Step Functions, Lambda and S3 endpoints on their own, with the credentials requests must be signed with. */
export async function serveAsf(): Promise<{ endpoints: Record<string, string>; credentials: LocalCredentials; close(): Promise<void> }> {
  const lambda = await startLocalLambda();
  const sfn = await startLocalStepFunctions({ lambdaUrl: lambda.url, credentials: lambda.credentials });
  const s3 = await startLocalS3({ credentials: lambda.credentials });
  return {
    endpoints: { stepfunctions: sfn.url, lambda: lambda.url, s3: s3.url },
    credentials: lambda.credentials,
    close: async () => {
      await sfn.close();
      await lambda.close();
      await s3.close();
    },
  };
}
