import { InputError } from '../model/errors.ts';
import { cleanupCloud } from '../registry/cleanup.ts';

/** Removes what Baton's cloud runs left (tagged Lambda functions and state machines, Unum's table); exit 1 if a removal failed. */
export async function cleanupCommand(options: { target: string; dryRun: boolean }): Promise<void> {
  if (options.target !== 'cloud') throw new InputError('E_BAD_INPUT', '--target: expected cloud (local stand-ins keep nothing: they stop with their run)');
  const report = await cleanupCloud({ dryRun: options.dryRun });
  const verb = options.dryRun ? 'would remove' : 'removed';
  for (const resource of report.removed) process.stdout.write(`${verb} ${resource}\n`);
  for (const { resource, error } of report.failed) process.stderr.write(`baton: could not remove ${resource}: ${error}\n`);
  process.stdout.write(
    `${report.removed.length} ${verb} in ${report.region}${report.failed.length ? `, ${report.failed.length} failed` : ''}; Lambda's log groups /aws/lambda/baton-* are left (see the README's "Run on AWS"); Azure Function Apps are yours to delete\n`,
  );
  if (report.failed.length > 0) process.exitCode = 1;
}
