/**
 * The SDK clients and endpoints of a Unum run: local (the Lambda stand-in and
 * dynalite on 127.0.0.1) or cloud (standard credential chain). Only endpoints and
 * credentials differ.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '../aws-local/dynamodb-table.ts';
import { InputError } from '../../harness/model/errors.ts';
import type { Target, Trace } from '../../harness/model/index.ts';
import { startLocalDynamo } from '../aws-local/dynamodb.ts';
import { resolveAwsRegion } from '../aws-local/region.ts';
import { LOCAL_ACCOUNT } from '../aws-local/account.ts';
import { startLocalLambda } from '../aws-local/lambda/server.ts';
import { startLocalS3 } from '../aws-local/s3.ts';

export interface UnumClients {
  readonly lambda: LambdaClient;
  readonly db: DynamoDBClient;
  /** For dataPassing=s3: the bucket a deployment's data goes through. */
  readonly s3: S3Client;
  /** Locally, the S3 stand-in's endpoint (the functions need it); in the cloud, none. */
  readonly s3Endpoint?: string;
  /** Locally, dynalite's endpoint (for the functions' own storage); in the cloud, none. */
  readonly dynamoEndpoint?: string;
  readonly table: string;
  readonly roleArn: string;
  readonly region: string;
  readonly clock: Trace['clock'];
  readonly maxPollMs: number;
  /** Environment the functions need to reach the same endpoints. */
  readonly functionEnv: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export const UNUM_TABLE = 'baton-unum';

export async function unumClients(target: Target): Promise<UnumClients> {
  if (target === 'cloud') {
    const roleArn = process.env['BATON_AWS_ROLE_ARN'];
    if (!roleArn)
      throw new InputError(
        'E_BAD_INPUT',
        'BATON_AWS_ROLE_ARN: expected the ARN of an IAM role for the Unum functions (Lambda invoke + DynamoDB access) for --target cloud',
      );
    const region = await resolveAwsRegion();
    const lambda = new LambdaClient({ region });
    const db = new DynamoDBClient({ region });
    const s3 = new S3Client({ region });
    await createTable(db, UNUM_TABLE, { partition: 'pk', sort: 'sk' });
    return {
      lambda,
      db,
      s3,
      table: UNUM_TABLE,
      roleArn,
      region,
      clock: 'epoch',
      maxPollMs: 200,
      functionEnv: {},
      close: async () => {
        lambda.destroy();
        db.destroy();
        s3.destroy();
      },
    };
  }
  const localLambda = await startLocalLambda();
  const { credentials } = localLambda;
  const localDynamo = await startLocalDynamo({ credentials });
  const localS3 = await startLocalS3({ credentials });
  const region = 'us-east-1';
  const lambda = new LambdaClient({ region, credentials, endpoint: localLambda.url });
  const db = new DynamoDBClient({ region, credentials, endpoint: localDynamo.url });
  const s3 = new S3Client({ region, credentials, endpoint: localS3.url, forcePathStyle: true });
  await createTable(db, UNUM_TABLE, { partition: 'pk', sort: 'sk' });
  return {
    lambda,
    db,
    s3,
    s3Endpoint: localS3.url,
    dynamoEndpoint: localDynamo.url,
    table: UNUM_TABLE,
    roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/baton`,
    region,
    clock: 'monotonic',
    maxPollMs: 2,
    functionEnv: { UNUM_LAMBDA_ENDPOINT: localLambda.url, UNUM_DYNAMO_ENDPOINT: localDynamo.url, UNUM_LOCAL: '1' }, // credentials: the Lambda stand-in sets them
    close: async () => {
      lambda.destroy();
      db.destroy();
      s3.destroy();
      await localLambda.close();
      await localDynamo.close();
      await localS3.close();
    },
  };
}
