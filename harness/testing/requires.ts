/**
 * A test that needs a program from Debian (`redis-server`, the AWS CLI): where it is
 * missing the test skips with what to install, and fails under `CI=true`, which
 * installs them (.ci/run), so that a check that never ran is never green there.
 */
import type { TestContext } from 'vitest';

/** true when the test may go on; else it has been skipped (or, under CI, thrown). */
export function requireTool(context: TestContext, present: boolean, missing: string): boolean {
  if (present) return true;
  if (process.env['CI'] === 'true') throw new Error(missing);
  context.skip(missing);
  return false;
}
