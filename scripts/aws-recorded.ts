/**
 * Runs the AWS-recorded Step Functions cases (data/asl/aws-recorded) through the local
 * stand-in, as `baton serve asf` serves it, and prints how many match AWS, by category.
 *   node scripts/aws-recorded.ts [--failures] [--only SUBSTRING]
 */
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
  if (args.includes('--failures')) console.log(`\n${failures(results)}`);
} finally {
  await served.close();
}
