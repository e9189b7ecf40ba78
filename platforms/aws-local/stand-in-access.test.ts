/**
 * The local AWS stand-ins let in only their user: requests must come to their loopback
 * address (no rebound DNS name), not from a web page, and be signed (SigV4) with the
 * credentials they were started with. A refused CreateFunction creates nothing, so no
 * code of the requester's ever runs.
 */
import { CreateFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from './dynamodb.ts';
import { startLocalLambda, type LocalLambda } from './lambda/server.ts';

let lambda: LocalLambda;
let dynamo: LocalDynamo;
beforeAll(async () => {
  lambda = await startLocalLambda();
  dynamo = await startLocalDynamo({ credentials: lambda.credentials });
});
afterAll(async () => {
  await lambda.close();
  await dynamo.close();
});

const ZIP = Buffer.from(zipSync({ 'index.mjs': strToU8('export const handler = async () => { require("fs").writeFileSync("/tmp/pwned", "x"); };') })).toString(
  'base64',
);
const createBody = (name: string) => JSON.stringify({ FunctionName: name, Runtime: 'nodejs22.x', Role: 'r', Handler: 'index.handler', Code: { ZipFile: ZIP } });
const post = (url: string, body: string, headers: Record<string, string>) => fetch(url, { method: 'POST', body, headers });
const functionNames = async () => {
  const client = new LambdaClient({ endpoint: lambda.url, region: 'us-east-1', credentials: lambda.credentials });
  const names = ((await client.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName);
  client.destroy();
  return names;
};

describe('local stand-ins let in only their user', () => {
  it('refuse an unsigned CreateFunction sent as text/plain from a web page, and run nothing', async () => {
    const response = await post(`${lambda.url}/2015-03-31/functions`, createBody('evil'), { 'content-type': 'text/plain', origin: 'http://attacker.example' });
    expect(response.status).toBe(403);
    expect(await functionNames()).not.toContain('evil');
  });

  it('refuse a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const port = new URL(lambda.url).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/2015-03-31/functions', method: 'GET', headers: { host: `rebound.attacker.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.once('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('refuse a request signed with other credentials, and one not signed at all', async () => {
    const stranger = new LambdaClient({
      endpoint: lambda.url,
      region: 'us-east-1',
      credentials: { accessKeyId: lambda.credentials.accessKeyId, secretAccessKey: 'guessed' },
    });
    await expect(
      stranger.send(
        new CreateFunctionCommand({
          FunctionName: 'guess',
          Runtime: 'nodejs22.x',
          Role: 'r',
          Handler: 'index.handler',
          Code: { ZipFile: Buffer.from(ZIP, 'base64') },
        }),
      ),
    ).rejects.toThrow(/signature does not match/);
    stranger.destroy();
    const unsigned = await post(`${lambda.url}/2015-03-31/functions`, createBody('plain'), { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(403);
    expect(await functionNames()).not.toContain('guess');
    expect(await functionNames()).not.toContain('plain');
  });

  it('refuse a function name that is a path, as Lambda validates names', async () => {
    const client = new LambdaClient({ endpoint: lambda.url, region: 'us-east-1', credentials: lambda.credentials });
    await expect(
      client.send(
        new CreateFunctionCommand({
          FunctionName: '../../../x',
          Runtime: 'nodejs22.x',
          Role: 'r',
          Handler: 'index.handler',
          Code: { ZipFile: Buffer.from(ZIP, 'base64') },
        }),
      ),
    ).rejects.toThrow(/failed to satisfy constraint/);
    client.destroy();
  });

  it('DynamoDB too: the signed SDK gets in, a stranger does not', async () => {
    const own = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: dynamo.credentials });
    expect((await own.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    own.destroy();
    const stranger = new DynamoDBClient({
      endpoint: dynamo.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' },
    });
    await expect(stranger.send(new ListTablesCommand({}))).rejects.toThrow(/not this stand-in's/);
    stranger.destroy();
  });
});
