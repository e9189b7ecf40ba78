/**
 * The local S3 (s3rver behind Baton's SigV4 front) through the unmodified
 * `@aws-sdk/client-s3` and the AWS CLI (botocore signs S3 its own way, and `aws s3 cp`
 * uploads a large file in parts): bytes come back as they went, and nobody gets in
 * without the stand-ins' credentials.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../harness/adapter-kit/temp-dirs.ts';
import { requireTool } from '../../harness/testing/requires.ts';
import { startLocalS3, type LocalS3 } from './s3.ts';
import { s3Store } from './value-store.ts';
import { s3Removal } from './store-removal.ts';

let local: LocalS3;
let s3: S3Client;
beforeAll(async () => {
  local = await startLocalS3();
  s3 = new S3Client({ region: 'us-east-1', endpoint: local.url, forcePathStyle: true, credentials: local.credentials });
});
afterAll(async () => {
  s3.destroy();
  await local.close();
});

/** The CLI in a child process, without blocking this one (which serves the stand-in). */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('aws', args, { env, encoding: 'utf8', timeout: 60_000 }, (error, _stdout, stderr) =>
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

describe('local S3', () => {
  it('keeps what the SDK puts, byte for byte, lists and deletes it, and refuses a bucket name S3 refuses', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'baton-sdk' }));
    const body = randomBytes(3 * 2 ** 20);
    await s3.send(new PutObjectCommand({ Bucket: 'baton-sdk', Key: 'runs/a/1', Body: body }));
    const store = s3Store(s3, 'baton-sdk', false);
    expect((await store.get('runs/a/1')).equals(body)).toBe(true);
    await store.put('runs/a/2', Buffer.from('{"x":1}'));
    await store.put('other/3', Buffer.from('3'));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'baton-sdk', Prefix: 'runs/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['runs/a/1', 'runs/a/2']);
    const removal = s3Removal(s3, 'baton-sdk');
    expect(await removal.removePrefix('runs/')).toBe(2);
    await removal.removeKeys(['other/3']);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'baton-sdk' }))).KeyCount).toBe(0);
    await expect(store.get('runs/a/1')).rejects.toMatchObject({ name: 'NoSuchKey' });
    await s3.send(new DeleteBucketCommand({ Bucket: 'baton-sdk' }));
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'b' }))).rejects.toMatchObject({ name: 'InvalidBucketName' });
  });

  it('deletes every key of a folder at once, and while others are written there (s3rver alone races on the folder: 500)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'baton-race' }));
    // No retries: the SDK's would hide a 500 the first time (the retry finds the keys gone).
    const once = new S3Client({ region: 'us-east-1', endpoint: local.url, forcePathStyle: true, credentials: local.credentials, maxAttempts: 1 });
    const removal = s3Removal(once, 'baton-race');
    const keys = (folder: string) => Array.from({ length: 50 }, (_, i) => `runs/${folder}/${i}`);
    const put = (Key: string) => s3.send(new PutObjectCommand({ Bucket: 'baton-race', Key, Body: 'x' }));
    await Promise.all(keys('one').map(put));
    await removal.removeKeys(keys('one'));
    await Promise.all(keys('two').map(put));
    const late = Array.from({ length: 20 }, (_, i) => `runs/two/late-${i}`);
    await Promise.all([removal.removeKeys(keys('two')), ...late.map(put)]);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'baton-race', Prefix: 'runs/' }));
    expect(left.Contents?.map((o) => o.Key).sort()).toEqual([...late].sort());
    expect(await removal.removePrefix('runs/')).toBe(20);
    await s3.send(new DeleteBucketCommand({ Bucket: 'baton-race' }));
    once.destroy();
  });

  it('removes more than a page (1000 keys) under a prefix', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'baton-pages' }));
    const store = s3Store(s3, 'baton-pages', false);
    for (let i = 0; i < 1100; i += 100)
      await Promise.all(Array.from({ length: 100 }, (_, j) => store.put(`runs/p/${String(i + j).padStart(4, '0')}`, Buffer.from('x'))));
    expect(await s3Removal(s3, 'baton-pages').removePrefix('runs/')).toBe(1100);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'baton-pages' }))).KeyCount).toBe(0);
    await s3.send(new DeleteBucketCommand({ Bucket: 'baton-pages' }));
  }, 60_000);

  it('refuses requests not signed with its credentials, and web pages', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'baton-private' }));
    await s3.send(new PutObjectCommand({ Bucket: 'baton-private', Key: 'secret', Body: 'x' }));
    const unsigned = await fetch(`${local.url}/baton-private/secret`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toMatch(/not signed/);
    const wrongSecret = new S3Client({
      region: 'us-east-1',
      endpoint: local.url,
      forcePathStyle: true,
      credentials: { accessKeyId: local.credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    await expect(wrongSecret.send(new GetObjectCommand({ Bucket: 'baton-private', Key: 'secret' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    // s3rver's own account (S3RVER/S3RVER), which it lets in unchecked, is not let in here.
    const s3rverKey = new S3Client({
      region: 'us-east-1',
      endpoint: local.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await expect(s3rverKey.send(new GetObjectCommand({ Bucket: 'baton-private', Key: 'secret' }))).rejects.toThrow();
    const page = await fetch(`${local.url}/baton-private/secret`, { headers: { origin: 'http://evil.example' } });
    expect(page.status).toBe(403);
    wrongSecret.destroy();
    s3rverKey.destroy();
  });

  it('works with the AWS CLI: a multipart upload of a 9 MiB file and its download', async (context) => {
    if (!requireTool(context, spawnSync('aws', ['--version']).status === 0, 'the AWS CLI is not installed (apt-get install awscli)')) return;
    const dir = makeTempDir('s3-cli');
    const file = join(dir, 'in.bin');
    const data = randomBytes(9 * 2 ** 20);
    writeFileSync(file, data);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
    };
    const aws = (...args: string[]) => cli(['--endpoint-url', local.url, ...args], env);
    expect(await aws('s3api', 'create-bucket', '--bucket', 'baton-cli')).toEqual({ status: 0, stderr: '' });
    expect(await aws('s3', 'cp', '--only-show-errors', file, 's3://baton-cli/x/in.bin')).toEqual({ status: 0, stderr: '' });
    expect(await aws('s3', 'cp', '--only-show-errors', 's3://baton-cli/x/in.bin', join(dir, 'out.bin'))).toEqual({ status: 0, stderr: '' });
    expect(readFileSync(join(dir, 'out.bin')).equals(data)).toBe(true);
    const denied = await cli(['--endpoint-url', local.url, 's3', 'ls', 's3://baton-cli/'], { ...env, AWS_SECRET_ACCESS_KEY: 'wrong' });
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toMatch(/SignatureDoesNotMatch/);
  }, 120_000);
});
