/**
 * Runs the AWS-recorded Step Functions cases (data/asl/aws-recorded) through the local
 * stand-in, as `baton serve asf` serves it, and prints how many match AWS, by category.
 *   node scripts/aws-recorded.ts [--failures] [--only SUBSTRING]
 */
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { loadCases } from '../platforms/asf/aws-recorded/cases.ts';
import { LOCAL_ACCOUNT } from '../platforms/aws-local/account.ts';
import { serveAsf } from '../platforms/asf/serve.ts';
import { failures, report, runRecordedCases } from '../platforms/asf/aws-recorded/run-all.ts';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const served = await serveAsf();
try {
  const results = await runRecordedCases(
    {
      stepfunctions: served.endpoints['stepfunctions']!,
      lambda: served.endpoints['lambda']!,
      region: 'us-east-1',
      credentials: served.credentials,
      account: LOCAL_ACCOUNT,
    },
    { only: only ? (c) => c.id.includes(only) : undefined },
  );
  console.log(report(results));
  console.log(await createTiming(served.endpoints['stepfunctions']!, served.credentials));
  if (args.includes('--failures')) console.log(`\n${failures(results)}`);
} finally {
  await served.close();
}

/** CreateStateMachine, one call at a time over the first 200 recorded definitions, SDK round trip included. */
async function createTiming(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<string> {
  const sfn = new SFNClient({ endpoint, region: 'us-east-1', credentials, disableHostPrefix: true });
  try {
    const definitions = loadCases()
      .slice(0, 200)
      .map((c) => JSON.stringify(c.definition).replaceAll('111111111111', LOCAL_ACCOUNT));
    const startMs = performance.now();
    for (const [i, definition] of definitions.entries()) {
      await sfn.send(new CreateStateMachineCommand({ name: `timing-${i}`, definition, roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/timing` }));
    }
    return `CreateStateMachine: ${((performance.now() - startMs) / definitions.length).toFixed(2)} ms per call (mean of ${definitions.length}, one at a time)`;
  } finally {
    sfn.destroy();
  }
}
