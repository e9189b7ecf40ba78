import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from './dynamodb.ts';

let dynamo: LocalDynamo;
let db: DynamoDBClient;
beforeAll(async () => {
  dynamo = await startLocalDynamo({ createTableMs: 300 });
  db = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: dynamo.credentials });
});
afterAll(async () => {
  db.destroy();
  await dynamo.close();
});

describe('local DynamoDB', () => {
  it('keeps a new table CREATING for a moment: writes fail until it is ACTIVE, as on AWS', async () => {
    await db.send(
      new CreateTableCommand({
        TableName: 'fresh',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    expect((await db.send(new DescribeTableCommand({ TableName: 'fresh' }))).Table?.TableStatus).toBe('CREATING');
    await expect(db.send(new PutItemCommand({ TableName: 'fresh', Item: { pk: { S: 'a' } } }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await vi.waitFor(async () => expect((await db.send(new DescribeTableCommand({ TableName: 'fresh' }))).Table?.TableStatus).toBe('ACTIVE'), {
      timeout: 30_000,
      interval: 50,
    });
    await db.send(new PutItemCommand({ TableName: 'fresh', Item: { pk: { S: 'a' } } }));
  });
});
