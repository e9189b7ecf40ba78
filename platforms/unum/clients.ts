/**
 * The SDK clients and endpoints of a Unum run: local (the Lambda stand-in and
 * dynalite on 127.0.0.1) or cloud (standard credential chain). Only endpoints and
 * credentials differ.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { pollUntil } from '../../harness/adapter-kit/index.ts';
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

async function createTable(db: DynamoDBClient, table: string): Promise<void> {
  try {
    await db.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // A new table is CREATING (seconds on AWS): items written before it is ACTIVE fail with ResourceNotFoundException.
  let status = 'CREATING';
  await pollUntil(
    async () => {
      status = (await db.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus ?? 'CREATING';
      return status === 'ACTIVE' ? true : undefined;
    },
    { timeoutMs: 5 * 60_000, maxIntervalMs: 1000, describe: () => `DynamoDB table ${table} still ${status}` },
  );
}

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
    await createTable(db, UNUM_TABLE);
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
  await createTable(db, UNUM_TABLE);
  return {
    lambda,
    db,
    s3,
    s3Endpoint: localS3.url,
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
