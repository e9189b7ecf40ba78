/**
 * `baton cleanup`'s AWS part against the stand-ins, through the unmodified SDK clients: it
 * removes exactly what carries both Baton's name and Baton's tag (and Unum's table), and
 * lists without removing on a dry run.
 */
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalS3 } from './s3.ts';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStepFunctions } from '../asf/local/sfn-server.ts';
import { startLocalDynamo } from './dynamodb.ts';
import { startLocalLambda } from './lambda/server.ts';
import { BATON_TAG, cleanupAws } from './cleanup.ts';
import { createTable } from './dynamodb-table.ts';

const ROLE = 'arn:aws:iam::000000000000:role/local';
let stop: () => Promise<void>;
let clients: { lambda: LambdaClient; sfn: SFNClient; db: DynamoDBClient; s3: S3Client };

beforeAll(async () => {
  const lambda = await startLocalLambda();
  const { credentials } = lambda;
  const sfn = await startLocalStepFunctions({ lambdaUrl: lambda.url, credentials });
  const dynamo = await startLocalDynamo({ credentials, createTableMs: 0 });
  const s3 = await startLocalS3({ credentials });
  const region = 'us-east-1';
  clients = {
    lambda: new LambdaClient({ region, credentials, endpoint: lambda.url }),
    sfn: new SFNClient({ region, credentials, endpoint: sfn.url }),
    db: new DynamoDBClient({ region, credentials, endpoint: dynamo.url }),
    s3: new S3Client({ region, credentials, endpoint: s3.url, forcePathStyle: true }),
  };
  stop = async () => {
    for (const client of Object.values(clients)) client.destroy();
    await Promise.all([sfn.close(), dynamo.close(), s3.close()]);
    await lambda.close();
  };
});
afterAll(() => stop());

const createFunction = (name: string, tags?: Record<string, string>) =>
  clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipSync({ 'index.mjs': strToU8('export const handler = async () => 1;') }) },
      ...(tags ? { Tags: tags } : {}),
    }),
  );
const createMachine = (name: string, tagged: boolean) =>
  clients.sfn.send(
    new CreateStateMachineCommand({
      name,
      roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
      ...(tagged ? { tags: [{ key: BATON_TAG, value: 'abc' }] } : {}),
    }),
  );

describe('baton cleanup (AWS)', () => {
  it("removes Baton's tagged functions and state machines, Unum's table and Baton's data buckets, and nothing else; a dry run removes nothing", async () => {
    for (const bucket of ['baton-0123abcd-data', 'baton-unum-89abcdef-data', 'baton-0123abcd-storage', 'baton-photos', 'their-data']) {
      await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'runs/x/0', Body: 'left' }));
    }
    await createFunction('baton-abc-left', { [BATON_TAG]: 'abc' });
    await createFunction('baton-untagged'); // Baton's name, not its tag: someone else's
    await createFunction('mine', { [BATON_TAG]: 'x' }); // Baton's tag, not its name
    await createMachine('baton-abc-machine', true);
    await createMachine('their-machine', true);
    await clients.db.send(
      new CreateTableCommand({
        TableName: 'baton-unum',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // The functions' own tables: Baton's name and tag; Baton's name only (someone else's).
    await createTable(clients.db, 'baton-0123abcd-storage-sift', { partition: '_pk', sort: '_sk' }, { [BATON_TAG]: '0123abcd' });
    await createTable(clients.db, 'baton-0123abcd-storage-theirs', { partition: '_pk', sort: '_sk' });
    const expected = [
      'dynamodb table baton-0123abcd-storage-sift',
      'dynamodb table baton-unum',
      'lambda function baton-abc-left',
      's3 bucket baton-0123abcd-data',
      's3 bucket baton-0123abcd-storage',
      's3 bucket baton-unum-89abcdef-data',
      'state machine baton-abc-machine',
    ];

    const dry = await cleanupAws(clients, { dryRun: true });
    expect(dry.removed.sort()).toEqual(expected);
    expect((await clients.lambda.send(new ListFunctionsCommand({}))).Functions).toHaveLength(3);

    const report = await cleanupAws(clients, { dryRun: false });
    expect(report).toEqual({ removed: expect.arrayContaining(expected), failed: [] });
    expect(report.removed).toHaveLength(7);
    const buckets = (await clients.s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name).sort();
    expect(buckets).toEqual(['baton-photos', 'their-data']);
    const functions = (await clients.lambda.send(new ListFunctionsCommand({}))).Functions!.map((f) => f.FunctionName).sort();
    expect(functions).toEqual(['baton-untagged', 'mine']);
    const machines = (await clients.sfn.send(new ListStateMachinesCommand({}))).stateMachines!.map((m) => m.name);
    expect(machines).toEqual(['their-machine']);
    expect((await clients.db.send(new ListTablesCommand({}))).TableNames).toEqual(['baton-0123abcd-storage-theirs']);
    // Tags come back as Lambda returns them.
    expect((await clients.lambda.send(new GetFunctionCommand({ FunctionName: 'mine' }))).Tags).toEqual({ [BATON_TAG]: 'x' });
  });
});
