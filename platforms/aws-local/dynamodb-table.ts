/** Making a DynamoDB table with a partition and a sort key (strings), billed per request, and waiting until it is ACTIVE. */
import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, TagResourceCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { pollUntil } from '../../harness/adapter-kit/index.ts';

export async function createTable(
  db: DynamoDBClient,
  table: string,
  keys: { readonly partition: string; readonly sort: string },
  tags: Readonly<Record<string, string>> = {},
): Promise<void> {
  try {
    const created = await db.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: keys.partition, AttributeType: 'S' },
          { AttributeName: keys.sort, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: keys.partition, KeyType: 'HASH' },
          { AttributeName: keys.sort, KeyType: 'RANGE' },
        ],
      }),
    );
    // Tagged after it is made (dynalite takes no Tags at CreateTable): what `baton cleanup` looks for.
    const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    if (tagList.length > 0) await db.send(new TagResourceCommand({ ResourceArn: created.TableDescription!.TableArn!, Tags: tagList }));
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
