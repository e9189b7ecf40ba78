/**
 * The local Step Functions against AWS itself: every AWS-recorded case
 * (data/asl/aws-recorded) run through `baton serve asf` (a real child process) with the
 * plain SDK clients, held against what AWS returned. Prints the pass rate by category.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT } from '../../aws-local/account.ts';
import { type CaseResult, failures, report, runRecordedCases, tally } from './run-all.ts';

const BIN = new URL('../../../bin/baton.js', import.meta.url).pathname;

let serve: ChildProcess;
let results: CaseResult[];

beforeAll(async () => {
  serve = spawn(process.execPath, [BIN, 'serve', 'asf'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    serve.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString()));
    serve.once('exit', (code) => reject(new Error(`baton serve asf exited (${code}) before printing its endpoints`)));
  });
  const served = JSON.parse(line) as { stepfunctions: string; lambda: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  results = await runRecordedCases({ ...served, account: LOCAL_ACCOUNT });
  console.log(report(results));
  const failed = failures(results);
  if (failed) console.log(`cases that differ from AWS:\n${failed}`);
}, 600_000);

afterAll(() => {
  serve?.kill('SIGTERM');
});

const percent = (rs: readonly CaseResult[]): number => {
  const t = tally(rs, () => 'all').get('all')!;
  return (100 * t.passed) / t.total;
};

describe('the local Step Functions against AWS-recorded executions', () => {
  it('matches AWS in at least 97% of the cases (status, output or error and cause)', () => {
    expect(results.length).toBe(434);
    expect(percent(results)).toBeGreaterThanOrEqual(97);
  });

  it('matches AWS in at least 95% of the JSONPath cases and of the JSONata cases', () => {
    for (const ql of ['JSONPath', 'JSONata']) {
      const some = results.filter((r) => r.case.ql === ql);
      expect(some.length, ql).toBeGreaterThan(50);
      expect(percent(some), ql).toBeGreaterThanOrEqual(95);
    }
  });

  it("records the history's event types in AWS's order in at least 95% of the cases that have a recorded history", () => {
    const withHistory = results.filter((r) => r.verdict.events !== null);
    expect(withHistory.length).toBeGreaterThan(150);
    const ordered = withHistory.filter((r) => r.verdict.events === undefined).length;
    expect((100 * ordered) / withHistory.length).toBeGreaterThanOrEqual(95);
  });

  it('links events as AWS does (ids, previousEventId) in at least 95% of the histories whose ids were recorded as they were', () => {
    const withIds = results.filter((r) => r.verdict.links !== null);
    expect(withIds.length).toBeGreaterThan(150);
    const linked = withIds.filter((r) => r.verdict.links === undefined).length;
    expect((100 * linked) / withIds.length).toBeGreaterThanOrEqual(95);
  });
});
