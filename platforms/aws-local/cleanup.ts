/**
 * What a killed or interrupted run leaves on AWS, found and removed: every Lambda function
 * and state machine Baton created carries the tag `baton` (the run's deployment tag) and a
 * `baton-` name (so do the tables of the functions' own storage), and Unum's sessions live
 * in the `baton-unum` table. Both marks are
 * needed, so nothing of anyone else's is touched (data buckets: their name, DATA_BUCKET). A deletion that fails is reported, not
 * swallowed. Log groups (`/aws/lambda/baton-*`) are left: Baton does not create them
 * (Lambda does), and the README says how to remove them.
 */
import { DeleteFunctionCommand, ListFunctionsCommand, ListTagsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteStateMachineCommand, ListStateMachinesCommand, ListTagsForResourceCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { DeleteTableCommand, DescribeTableCommand, ListTablesCommand, ListTagsOfResourceCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteBucketCommand, ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import { s3Removal } from './store-removal.ts';

/** The tag on every resource Baton creates; its value is the deployment's. */
export const BATON_TAG = 'baton';
export const BATON_NAME_PREFIX = 'baton-';
const UNUM_TABLE = 'baton-unum';
/**
 * The buckets of dataPassing=s3 (`baton-TAG-data`, Unum's `baton-unum-TAG-data`) and of the
 * functions' own storage (`baton-TAG-storage`): S3 has no tags at CreateBucket, so the name
 * alone, with its 8-hex-digit deployment tag, marks them.
 */
export const DATA_BUCKET = /^baton-(unum-)?[0-9a-f]{8}-(data|storage)$/;

export interface CleanupReport {
  /** What was removed (or, with dryRun, would be). */
  readonly removed: string[];
  readonly failed: { readonly resource: string; readonly error: string }[];
}

export async function cleanupAws(
  clients: { lambda: LambdaClient; sfn: SFNClient; db: DynamoDBClient; s3: S3Client },
  options: { dryRun: boolean },
): Promise<CleanupReport> {
  const report: CleanupReport = { removed: [], failed: [] };
  const remove = async (resource: string, del: () => Promise<unknown>) => {
    if (options.dryRun) return void report.removed.push(resource);
    try {
      await del();
      report.removed.push(resource);
    } catch (error) {
      report.failed.push({ resource, error: (error as Error).message });
    }
  };

  let marker: string | undefined;
  do {
    const page = await clients.lambda.send(new ListFunctionsCommand({ Marker: marker }));
    for (const fn of page.Functions ?? []) {
      if (!fn.FunctionName?.startsWith(BATON_NAME_PREFIX)) continue;
      const { Tags } = await clients.lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn }));
      if (Tags?.[BATON_TAG] === undefined) continue;
      await remove(`lambda function ${fn.FunctionName}`, () => clients.lambda.send(new DeleteFunctionCommand({ FunctionName: fn.FunctionName })));
    }
    marker = page.NextMarker;
  } while (marker);

  let token: string | undefined;
  do {
    const page = await clients.sfn.send(new ListStateMachinesCommand({ nextToken: token }));
    for (const machine of page.stateMachines ?? []) {
      if (!machine.name?.startsWith(BATON_NAME_PREFIX)) continue;
      const { tags } = await clients.sfn.send(new ListTagsForResourceCommand({ resourceArn: machine.stateMachineArn }));
      if (!tags?.some((t) => t.key === BATON_TAG)) continue;
      await remove(`state machine ${machine.name}`, () => clients.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: machine.stateMachineArn })));
    }
    token = page.nextToken;
  } while (token);

  const table = await clients.db.send(new DescribeTableCommand({ TableName: UNUM_TABLE })).catch((error: Error) => {
    if (error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  });
  if (table) await remove(`dynamodb table ${UNUM_TABLE}`, () => clients.db.send(new DeleteTableCommand({ TableName: UNUM_TABLE })));

  // The functions' own tables (`baton-TAG-storage-TABLE`), tagged `baton` when they were made.
  let start: string | undefined;
  do {
    const page = await clients.db.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) {
      if (!/^baton-[0-9a-f]{8}-storage-/.test(name)) continue;
      const { Table } = await clients.db.send(new DescribeTableCommand({ TableName: name }));
      const { Tags } = await clients.db.send(new ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn }));
      if (!Tags?.some((t) => t.Key === BATON_TAG)) continue;
      await remove(`dynamodb table ${name}`, () => clients.db.send(new DeleteTableCommand({ TableName: name })));
    }
    start = page.LastEvaluatedTableName;
  } while (start);

  const { Buckets } = await clients.s3.send(new ListBucketsCommand({}));
  for (const bucket of Buckets ?? []) {
    if (!bucket.Name || !DATA_BUCKET.test(bucket.Name)) continue;
    await remove(`s3 bucket ${bucket.Name}`, async () => {
      await s3Removal(clients.s3, bucket.Name!).removePrefix('');
      await clients.s3.send(new DeleteBucketCommand({ Bucket: bucket.Name }));
    });
  }
  return report;
}
