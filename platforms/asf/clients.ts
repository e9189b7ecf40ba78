/**
 * The SDK clients an adapter run uses. The one place where targets differ: local
 * points the same clients at the stand-ins with static credentials; cloud uses the
 * standard credential chain and region, and an IAM role given by the user.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { InputError } from '../../harness/model/errors.ts';
import type { Target, Trace } from '../../harness/model/index.ts';
import { LOCAL_ACCOUNT } from '../aws-local/account.ts';
import { resolveAwsRegion } from '../aws-local/region.ts';
import type { LocalCredentials } from '../aws-local/credentials.ts';
import { startLocalLambda } from '../aws-local/lambda/server.ts';
import { startLocalStepFunctions } from './local/sfn-server.ts';
import { startLocalS3 } from '../aws-local/s3.ts';
import { startLocalRedis } from '../aws-local/redis.ts';
import { startLocalDynamo, type LocalDynamo } from '../aws-local/dynamodb.ts';
import type { StorageClients } from '../aws-local/function-storage-setup.ts';
import { UnsupportedError } from '../../harness/model/errors.ts';

export interface AwsClients {
  readonly lambda: LambdaClient;
  readonly sfn: SFNClient;
  readonly s3: S3Client;
  /** Locally, the stand-ins' endpoints, which functions need in their environment; in the cloud, none (the SDK's defaults). */
  readonly endpoints: { readonly lambda?: string; readonly s3?: string };
  /**
   * The Redis URL for dataPassing=redis: locally a redis-server started for the run (on first
   * use); in the cloud `BATON_REDIS_URL` (an ElastiCache endpoint the functions can reach).
   */
  redisUrl(): Promise<string>;
  /** S3 and DynamoDB for the functions' own storage: locally dynalite is started on first use. */
  storage(): Promise<StorageClients>;
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
    const s3 = new S3Client({ region: config.region });
    const db = new DynamoDBClient({ region: config.region });
    return {
      lambda,
      sfn,
      s3,
      endpoints: {},
      redisUrl: async () => {
        const url = process.env['BATON_REDIS_URL'];
        if (!url)
          throw new UnsupportedError(
            'dataPassing=redis on --target cloud needs BATON_REDIS_URL: the endpoint of an ElastiCache (Redis OSS) cache that the functions reach (their VPC)',
          );
        return url;
      },
      storage: async () => ({ s3, db }),
      roleArn,
      region,
      clock: 'epoch',
      maxPollMs: 200,
      close: async () => {
        lambda.destroy();
        sfn.destroy();
        s3.destroy();
        db.destroy();
      },
    };
  }
  const localLambda = await startLocalLambda();
  const localSfn = await startLocalStepFunctions({ lambdaUrl: localLambda.url, credentials: localLambda.credentials });
  // The functions call S3 with the credentials the local Lambda gives them, as with a role on AWS.
  const localS3 = await startLocalS3({ credentials: localLambda.credentials });
  let localRedis: ReturnType<typeof startLocalRedis> | undefined;
  let localStorage: Promise<{ dynamo: LocalDynamo; clients: StorageClients }> | undefined;
  const startStorage = async () => {
    const dynamo = await startLocalDynamo({ credentials: localLambda.credentials });
    const db = new DynamoDBClient({ region: 'us-east-1', credentials: localLambda.credentials, endpoint: dynamo.url });
    return { dynamo, clients: { s3, db, s3Endpoint: localS3.url, dynamoEndpoint: dynamo.url } };
  };
  const config = clientConfig('local', { lambda: localLambda.url, sfn: localSfn.url }, localLambda.credentials);
  const lambda = new LambdaClient({ region: config.region, credentials: config.credentials, endpoint: config.lambdaEndpoint });
  // StartSyncExecution goes to a `sync-` host on AWS; locally the same endpoint serves it.
  const sfn = new SFNClient({ region: config.region, credentials: config.credentials, endpoint: config.sfnEndpoint, disableHostPrefix: true });
  const s3 = new S3Client({ region: config.region, credentials: config.credentials, endpoint: localS3.url, forcePathStyle: true });
  return {
    lambda,
    sfn,
    s3,
    endpoints: { lambda: localLambda.url, s3: localS3.url },
    redisUrl: async () => (await (localRedis ??= startLocalRedis())).url,
    storage: async () => (await (localStorage ??= startStorage())).clients,
    roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/baton`,
    region: 'us-east-1',
    clock: 'monotonic',
    maxPollMs: 2,
    throttle: (probability) => localLambda.throttle(probability),
    close: async () => {
      lambda.destroy();
      sfn.destroy();
      s3.destroy();
      await localSfn.close();
      await localLambda.close();
      await localS3.close();
      const storage = await localStorage?.catch(() => undefined);
      storage?.clients.db.destroy();
      await storage?.dynamo.close();
      const redis = await localRedis?.catch(() => undefined);
      await redis?.close();
    },
  };
}
