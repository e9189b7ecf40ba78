/**
 * The SDK clients an adapter run uses. The one place where targets differ: local
 * points the same clients at the stand-ins with static credentials; cloud uses the
 * standard credential chain and region, and an IAM role given by the user.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { InputError } from '../../harness/model/errors.ts';
import type { Target, Trace } from '../../harness/model/index.ts';
import { LOCAL_ACCOUNT } from '../aws-local/account.ts';
import { resolveAwsRegion } from '../aws-local/region.ts';
import type { LocalCredentials } from '../aws-local/credentials.ts';
import { startLocalLambda } from '../aws-local/lambda/server.ts';
import { startLocalStepFunctions } from './local/sfn-server.ts';

export interface AwsClients {
  readonly lambda: LambdaClient;
  readonly sfn: SFNClient;
  /** Role for the functions and the state machine. */
  readonly roleArn: string;
  /** Where the resources are (the stand-ins answer as us-east-1): the run's prices come from it. */
  readonly region: string;
  /** Function-side timestamps: monotonic on one host, epoch on AWS. */
  readonly clock: Trace['clock'];
  /** Longest wait between polls of a running execution. */
  readonly maxPollMs: number;
  /** The local Lambda's throttle (`--inject throttle=P`); absent in the cloud, which throttles on its own terms. */
  readonly throttle?: (probability: number) => void;
  close(): Promise<void>;
}

export interface Endpoints {
  readonly lambda?: string;
  readonly sfn?: string;
}

/** Client settings for a target; exported so a test can show that only these differ. */
export function clientConfig(target: Target, endpoints: Endpoints, credentials?: LocalCredentials, cloudRegion?: string) {
  if (target === 'local') {
    return {
      region: 'us-east-1',
      credentials,
      lambdaEndpoint: endpoints.lambda,
      sfnEndpoint: endpoints.sfn,
    };
  }
  return { region: cloudRegion, credentials: undefined, lambdaEndpoint: undefined, sfnEndpoint: undefined };
}

export async function awsClients(target: Target): Promise<AwsClients> {
  if (target === 'cloud') {
    const roleArn = process.env['BATON_AWS_ROLE_ARN'];
    if (!roleArn)
      throw new InputError('E_BAD_INPUT', 'BATON_AWS_ROLE_ARN: expected the ARN of an IAM role that Lambda and Step Functions can assume (for --target cloud)');
    const region = await resolveAwsRegion();
    const config = clientConfig('cloud', {}, undefined, region);
    const lambda = new LambdaClient({ region: config.region });
    const sfn = new SFNClient({ region: config.region });
    return {
      lambda,
      sfn,
      roleArn,
      region,
      clock: 'epoch',
      maxPollMs: 200,
      close: async () => {
        lambda.destroy();
        sfn.destroy();
      },
    };
  }
  const localLambda = await startLocalLambda();
  const localSfn = await startLocalStepFunctions({ lambdaUrl: localLambda.url, credentials: localLambda.credentials });
  const config = clientConfig('local', { lambda: localLambda.url, sfn: localSfn.url }, localLambda.credentials);
  const lambda = new LambdaClient({ region: config.region, credentials: config.credentials, endpoint: config.lambdaEndpoint });
  // StartSyncExecution goes to a `sync-` host on AWS; locally the same endpoint serves it.
  const sfn = new SFNClient({ region: config.region, credentials: config.credentials, endpoint: config.sfnEndpoint, disableHostPrefix: true });
  return {
    lambda,
    sfn,
    roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/baton`,
    region: 'us-east-1',
    clock: 'monotonic',
    maxPollMs: 2,
    throttle: (probability) => localLambda.throttle(probability),
    close: async () => {
      lambda.destroy();
      sfn.destroy();
      await localSfn.close();
      await localLambda.close();
    },
  };
}
