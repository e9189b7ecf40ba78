/**
 * Runs the AWS-recorded cases against Step Functions and Lambda endpoints (normally
 * `baton serve asf`) with the plain SDK clients, a few at a time, and tallies the verdicts
 * by category and query language.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { type Actual, categoryOf, createFunctions, judge, loadCases, type RecordedCase, runCase, type Verdict } from './cases.ts';

export interface Endpoints {
  readonly stepfunctions: string;
  readonly lambda: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The account the endpoints put in ARNs. */
  readonly account: string;
}

export interface CaseResult {
  readonly case: RecordedCase;
  readonly actual: Actual | undefined;
  readonly verdict: Verdict;
}

export async function runRecordedCases(
  endpoints: Endpoints,
  options: { concurrency?: number; only?: (c: RecordedCase) => boolean } = {},
): Promise<CaseResult[]> {
  const cases = loadCases().filter(options.only ?? (() => true));
  const config = { region: endpoints.region, credentials: endpoints.credentials };
  const lambda = new LambdaClient({ ...config, endpoint: endpoints.lambda });
  const sfn = new SFNClient({ ...config, endpoint: endpoints.stepfunctions, disableHostPrefix: true, maxAttempts: 1 });
  try {
    await createFunctions(lambda, cases, endpoints.account);
    const results: CaseResult[] = new Array(cases.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const index = next++;
        const c = cases[index]!;
        try {
          const actual = await runCase(sfn, c, index, endpoints.account);
          results[index] = { case: c, actual, verdict: judge(c, actual) };
        } catch (error) {
          results[index] = {
            case: c,
            actual: undefined,
            verdict: { result: `the request failed: ${(error as Error).name}: ${(error as Error).message}`, events: null, links: null },
          };
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
    return results;
  } finally {
    lambda.destroy();
    sfn.destroy();
  }
}

export interface Tally {
  readonly passed: number;
  readonly total: number;
}

const rate = (t: Tally): string => `${t.passed}/${t.total} (${t.total === 0 ? '-' : ((100 * t.passed) / t.total).toFixed(1)}%)`;

export function tally(results: readonly CaseResult[], key: (r: CaseResult) => string): Map<string, Tally> {
  const out = new Map<string, { passed: number; total: number }>();
  for (const r of results) {
    const k = key(r);
    const t = out.get(k) ?? { passed: 0, total: 0 };
    t.total++;
    if (r.verdict.result === undefined) t.passed++;
    out.set(k, t);
  }
  return out;
}

/** The report: results overall, by query language and by category, and event order where a history was recorded. */
export function report(results: readonly CaseResult[]): string {
  const all = tally(results, () => 'all').get('all') ?? { passed: 0, total: 0 };
  const lines = [`AWS-recorded cases matching AWS: ${rate(all)}`];
  for (const [ql, t] of tally(results, (r) => r.case.ql)) lines.push(`  ${ql.padEnd(9)} ${rate(t)}`);
  const withHistory = results.filter((r) => r.verdict.events !== null);
  const ordered = withHistory.filter((r) => r.verdict.events === undefined).length;
  lines.push(`  event types in AWS's order: ${rate({ passed: ordered, total: withHistory.length })}`);
  const withIds = results.filter((r) => r.verdict.links !== null);
  lines.push(`  ids and previousEventId as AWS's: ${rate({ passed: withIds.filter((r) => r.verdict.links === undefined).length, total: withIds.length })}`);
  lines.push('by category:');
  for (const [category, t] of [...tally(results, (r) => categoryOf(r.case))].sort()) lines.push(`  ${category.padEnd(58)} ${rate(t)}`);
  return lines.join('\n');
}

export function failures(results: readonly CaseResult[]): string {
  return results
    .filter((r) => r.verdict.result !== undefined || r.verdict.events)
    .map((r) => `- ${r.case.id}\n    ${r.verdict.result ?? 'result matches'}${r.verdict.events ? `\n    events: ${r.verdict.events}` : ''}`)
    .join('\n');
}
