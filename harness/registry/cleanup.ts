/**
 * `baton cleanup --target cloud`: what Baton left on AWS (platforms/aws-local/cleanup.ts),
 * with clients built as a cloud run builds them (the standard credential chain, the
 * region resolved once).
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { cleanupAws, type CleanupReport } from '../../platforms/aws-local/cleanup.ts';
import { resolveAwsRegion } from '../../platforms/aws-local/region.ts';

export type { CleanupReport } from '../../platforms/aws-local/cleanup.ts';

export async function cleanupCloud(options: { dryRun: boolean }): Promise<CleanupReport & { region: string }> {
  const region = await resolveAwsRegion();
  const clients = { lambda: new LambdaClient({ region }), sfn: new SFNClient({ region }), db: new DynamoDBClient({ region }), s3: new S3Client({ region }) };
  try {
    return { ...(await cleanupAws(clients, options)), region };
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}
