/**
 * `baton serve asf` driven by the real AWS CLI (botocore signs differently from the JS
 * SDK: no x-amz-content-sha256), with the credentials it prints. The CLI comes from
 * Debian (`apt-get install awscli`, which .ci/run does); where it is missing this test
 * skips with that hint, and fails under CI=true.
 */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/baton.js', import.meta.url).pathname;
const hasCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

describe('baton serve asf with the AWS CLI', () => {
  it('lets the CLI in with the printed credentials, and nobody without them; every stepfunctions command a user reaches for works', async (context) => {
    if (!hasCli) {
      if (process.env['CI'] === 'true') throw new Error('the AWS CLI is not installed (apt-get install awscli)');
      context.skip('the AWS CLI is not installed (apt-get install awscli)');
      return;
    }
    const serve = spawn(process.execPath, [BIN, 'serve', 'asf'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve) => serve.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
      const served = JSON.parse(line) as {
        stepfunctions: string;
        lambda: string;
        region: string;
        credentials: { accessKeyId: string; secretAccessKey: string };
      };
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: served.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: served.credentials.secretAccessKey,
        AWS_DEFAULT_REGION: served.region,
      };
      const aws = (args: string[], secret = served.credentials.secretAccessKey) =>
        spawnSync('aws', args, { env: { ...env, AWS_SECRET_ACCESS_KEY: secret }, encoding: 'utf8', timeout: 60_000 });
      const created = aws([
        '--endpoint-url',
        served.stepfunctions,
        'stepfunctions',
        'create-state-machine',
        '--name',
        'cli',
        '--role-arn',
        'arn:aws:iam::000000000000:role/r',
        '--definition',
        '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}',
      ]);
      expect(created.status, created.stderr).toBe(0);
      expect(JSON.parse(created.stdout)).toMatchObject({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:cli' });
      const sfnCli = (...args: string[]) => {
        const out = aws(['--endpoint-url', served.stepfunctions, 'stepfunctions', ...args]);
        expect(out.status, `aws stepfunctions ${args[0]}: ${out.stderr}`).toBe(0);
        return out.stdout.trim() === '' ? {} : (JSON.parse(out.stdout) as Record<string, unknown>);
      };
      const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:cli';
      expect(sfnCli('list-state-machines')).toMatchObject({ stateMachines: [{ name: 'cli' }] });
      // validate-state-machine-definition came in 2024: Debian 12's awscli 2.9 does not have it.
      if (aws(['stepfunctions', 'validate-state-machine-definition', 'help']).status === 0) {
        const valid = sfnCli('validate-state-machine-definition', '--definition', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}');
        expect(valid).toMatchObject({ result: 'OK' });
      } else console.log('this AWS CLI has no validate-state-machine-definition; the SDK test covers it');
      sfnCli('update-state-machine', '--state-machine-arn', machine, '--definition', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}');
      const started = sfnCli('start-execution', '--state-machine-arn', machine, '--name', 'cli-run', '--input', '{"a":1}') as { executionArn: string };
      expect(sfnCli('describe-execution', '--execution-arn', started.executionArn)).toMatchObject({ status: 'RUNNING' });
      expect(sfnCli('describe-state-machine-for-execution', '--execution-arn', started.executionArn)).toMatchObject({ name: 'cli' });
      sfnCli('stop-execution', '--execution-arn', started.executionArn, '--error', 'Stopped', '--cause', 'by the CLI');
      expect(sfnCli('describe-execution', '--execution-arn', started.executionArn)).toMatchObject({ status: 'ABORTED', error: 'Stopped' });
      expect(sfnCli('list-executions', '--state-machine-arn', machine)).toMatchObject({ executions: [{ name: 'cli-run', status: 'ABORTED' }] });
      const history = sfnCli('get-execution-history', '--execution-arn', started.executionArn) as { events: { type: string }[] };
      expect(history.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
      sfnCli('tag-resource', '--resource-arn', machine, '--tags', 'key=team,value=baton');
      expect(sfnCli('list-tags-for-resource', '--resource-arn', machine)).toEqual({ tags: [{ key: 'team', value: 'baton' }] });
      sfnCli('untag-resource', '--resource-arn', machine, '--tag-keys', 'team');
      expect(sfnCli('describe-state-machine', '--state-machine-arn', machine)).toMatchObject({ name: 'cli', status: 'ACTIVE' });
      sfnCli('delete-state-machine', '--state-machine-arn', machine);
      const listed = aws(['--endpoint-url', served.lambda, 'lambda', 'list-functions']);
      expect(listed.status, listed.stderr).toBe(0);
      const refused = aws(['--endpoint-url', served.lambda, 'lambda', 'list-functions'], 'not-the-secret');
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toMatch(/InvalidSignatureException/);
    } finally {
      serve.kill('SIGTERM');
    }
  }, 120_000);
});
