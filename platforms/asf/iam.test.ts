/**
 * The IAM set-up for `--target cloud` (platforms/asf/iam/) against what the code does: every
 * AWS API call the AWS adapters make from the caller's machine is allowed by the caller
 * policy, every call made inside the functions by the role policy, the resources the
 * adapters create (deployed here on the local stand-ins) fall under the policies'
 * resource patterns, and the CloudFormation template carries the same documents.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initHistograms } from '../../harness/metrics/histogram.ts';
import { PROBES, PROBE_FUNCTIONS_URL } from '../../harness/conformance/probes.ts';
import { AsfAdapter } from './index.ts';
import { UnumAdapter } from '../unum/index.ts';

interface Statement {
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
}
const policy = (file: string): readonly Statement[] => JSON.parse(readFileSync(new URL(`./iam/${file}`, import.meta.url), 'utf8')).Statement;
const list = (v: string | readonly string[]): readonly string[] => (typeof v === 'string' ? [v] : v);
const allowed = (statements: readonly Statement[]) => new Set(statements.flatMap((s) => list(s.Action)));
const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);
const covers = (statements: readonly Statement[], action: string, arn: string) =>
  statements.some((s) => list(s.Action).includes(action) && list(s.Resource).some((r) => glob(r).test(arn)));

/** The IAM actions of the SDK calls in these files: `new XCommand` from a client package, and the SDK's waiters. */
function actionsIn(files: readonly string[]): Set<string> {
  const service: Record<string, string> = { 'client-lambda': 'lambda', 'client-sfn': 'states', 'client-dynamodb': 'dynamodb', 'client-s3': 's3' };
  // Where an S3 call's IAM action has another name than the call.
  const s3Action: Record<string, string> = {
    ListObjects: 'ListBucket',
    ListObjectsV2: 'ListBucket',
    DeleteObjects: 'DeleteObject',
    ListBuckets: 'ListAllMyBuckets',
  };
  const actions = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [, names, pkg] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9]+)'/g)) {
      for (const name of names!.split(',').map((n) => n.replace(/^\s*type\s+/, '').trim())) {
        const command = /^([A-Za-z]+)Command$/.exec(name);
        const action = command?.[1] === 'Invoke' ? 'InvokeFunction' : pkg === 'client-s3' ? (s3Action[command?.[1] ?? ''] ?? command?.[1]) : command?.[1];
        if (command && new RegExp(`new ${name}\\b`).test(text)) actions.add(`${service[pkg!]}:${action}`);
        // waitUntilFunctionUpdatedV2 / ActiveV2 poll GetFunction.
        if (/^waitUntilFunction\w+V2$/.test(name) && text.includes(`${name}(`)) actions.add('lambda:GetFunction');
      }
    }
  }
  return actions;
}

const sources = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
/** Used on both sides: reading and writing the store a run's data goes through (the client puts the input, the functions the rest). */
const BOTH_SIDES = ['platforms/aws-local/value-store.ts'];
/** What runs inside the functions, as the role: the Unum runtime and the Step Functions handler. */
const ROLE_SIDE = [
  'platforms/unum/runtime.ts',
  ...sources('platforms/unum/wrapper'),
  'platforms/asf/handler.ts',
  'platforms/aws-local/function-storage.ts',
  ...BOTH_SIDES,
];
/** What runs on the caller's machine: the adapters, their clients and the shared AWS helpers (not the local stand-ins). */
const CALLER_SIDE = [...sources('platforms/asf'), ...sources('platforms/unum'), ...sources('platforms/aws-local')].filter(
  (f) => !ROLE_SIDE.includes(f) || BOTH_SIDES.includes(f),
);

beforeAll(() => initHistograms());

describe('IAM for --target cloud', () => {
  it('allows the caller every AWS call the adapters make, and the role every call the functions make', () => {
    const caller = actionsIn(CALLER_SIDE);
    const role = actionsIn(ROLE_SIDE);
    // The scan finds what it should (else the check below would pass on nothing).
    expect(caller).toContain('lambda:CreateFunction');
    expect(caller).toContain('states:StartExecution');
    expect(caller).toContain('dynamodb:CreateTable');
    expect(role).toContain('dynamodb:UpdateItem');
    expect(role).toContain('s3:GetObject');
    expect(role).toContain('dynamodb:Query');
    expect(caller).toContain('dynamodb:TagResource');
    expect(caller).toContain('s3:CreateBucket');
    expect([...caller].filter((a) => !allowed(policy('caller-policy.json')).has(a))).toEqual([]);
    expect([...role].filter((a) => !allowed(policy('role-policy.json')).has(a))).toEqual([]);
  });

  it("covers the resources the adapters create: their functions, state machines and table fall under the policies' patterns", async () => {
    const caller = policy('caller-policy.json');
    const role = policy('role-policy.json');
    const asf = new AsfAdapter();
    const unum = new UnumAdapter();
    try {
      // With storage for functions: its bucket and tables are among what the policies must cover.
      const storage = { objects: { 'in/a': new Uint8Array([1]) }, tables: ['sift'] };
      const workflow = { name: 'iam-probe', graph: PROBES.sequence.graph, functionsUrl: PROBE_FUNCTIONS_URL, storage };
      const onAsf = await asf.deploy(workflow, { target: 'local' });
      const onUnum = await unum.deploy(workflow, { target: 'local' });
      const lambdaArns = [...onAsf.functions.values(), ...onUnum.functions.values()].map((f) =>
        f.startsWith('arn:') ? f : `arn:aws:lambda:us-east-1:000000000000:function:${f}`,
      );
      for (const arn of lambdaArns) {
        expect(covers(caller, 'lambda:CreateFunction', arn), arn).toBe(true);
        expect(covers(role, 'lambda:InvokeFunction', arn), arn).toBe(true);
      }
      expect(covers(caller, 'states:StartExecution', onAsf.stateMachineArn!), onAsf.stateMachineArn).toBe(true);
      expect(covers(role, 'dynamodb:PutItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/baton-unum')).toBe(true);
      for (const { address } of [onAsf.functionStorage!, onUnum.functionStorage!]) {
        const table = `arn:aws:dynamodb:us-east-1:000000000000:table/${address.tables['sift']}`;
        for (const action of ['dynamodb:CreateTable', 'dynamodb:TagResource', 'dynamodb:ListTagsOfResource', 'dynamodb:DeleteTable'])
          expect(covers(caller, action, table), `${action} ${table}`).toBe(true);
        for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']) expect(covers(role, action, table), `${action} ${table}`).toBe(true);
        expect(covers(caller, 's3:CreateBucket', `arn:aws:s3:::${address.bucket}`)).toBe(true);
        expect(covers(caller, 's3:PutObject', `arn:aws:s3:::${address.bucket}/in/a`)).toBe(true);
        expect(covers(role, 's3:ListBucket', `arn:aws:s3:::${address.bucket}`)).toBe(true);
        expect(covers(role, 's3:GetObject', `arn:aws:s3:::${address.bucket}/in/a`)).toBe(true);
      }
      await asf.teardown(onAsf);
      await unum.teardown(onUnum);
    } finally {
      await Promise.all([asf.close(), unum.close()]);
    }
  }, 120_000);

  it('ships the same documents in the CloudFormation template, with the role named as the PassRole grant expects', () => {
    const template = JSON.parse(readFileSync(new URL('./iam/baton-aws.cfn.json', import.meta.url), 'utf8'));
    const read = (file: string) => JSON.parse(readFileSync(new URL(`./iam/${file}`, import.meta.url), 'utf8'));
    const role = template.Resources.BatonRole.Properties;
    expect(role.AssumeRolePolicyDocument).toEqual(read('trust-policy.json'));
    expect(role.Policies[0].PolicyDocument).toEqual(read('role-policy.json'));
    expect(template.Resources.BatonCallerPolicy.Properties.PolicyDocument).toEqual(read('caller-policy.json'));
    expect(covers(policy('caller-policy.json'), 'iam:PassRole', `arn:aws:iam::123456789012:role/${role.RoleName}`)).toBe(true);
  });
});
