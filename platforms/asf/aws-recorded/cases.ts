/**
 * The AWS-recorded cases (data/asl/aws-recorded): loading them, running one through a Step
 * Functions endpoint with the plain SDK clients, and holding the result against AWS's.
 */
import { readFileSync } from 'node:fs';
import { CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import { strToU8, zipSync } from 'fflate';
import { difference } from './match.ts';

const DATA = new URL('../../../data/asl/aws-recorded/', import.meta.url);
/** The account the recordings were anonymized to; the stand-in's own is swapped for it before comparing. */
const RECORDED_ACCOUNT = '111111111111';

export interface RecordedCase {
  readonly id: string;
  readonly definition: Record<string, unknown>;
  readonly input: string | null;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly sync: boolean;
  readonly lambdas: readonly { readonly name: string; readonly kind: string }[];
  readonly ql: 'JSONPath' | 'JSONata';
  readonly features: readonly string[];
  readonly expected: {
    readonly status: string;
    readonly output?: unknown;
    readonly error?: unknown;
    readonly cause?: unknown;
    readonly events?: readonly string[];
    readonly raw_events?: readonly { readonly id: number | number[]; readonly type: string }[];
  };
}

export function loadCases(): RecordedCase[] {
  return JSON.parse(readFileSync(new URL('cases.json', DATA), 'utf8')) as RecordedCase[];
}

export async function lambdaSources(): Promise<Record<string, string>> {
  return ((await import(new URL('lambdas.mjs', DATA).href)) as { SOURCES: Record<string, string> }).SOURCES;
}

/** The file a case comes from, without its test name: what results are grouped by. */
export const categoryOf = (c: RecordedCase): string =>
  c.id
    .split('::')[0]!
    .replace(/^tests\/aws\/services\/stepfunctions\/v2\//, '')
    .replace(/\.py$/, '');

export interface Actual {
  readonly status: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly events?: string[];
  /** `id<previousEventId` of every event. */
  readonly links?: string[];
}

export interface Verdict {
  readonly result: string | undefined;
  /** Undefined when the event types are in AWS's order; null when the case has no recorded history. */
  readonly events: string | undefined | null;
  /** Likewise for every event's id and previousEventId; null where the recording normalized ids. */
  readonly links: string | undefined | null;
}

/** Creates every function the cases call (each name once), with a timeout above the cases' longest call. */
export async function createFunctions(lambda: LambdaClient, cases: readonly RecordedCase[], account: string): Promise<void> {
  const sources = await lambdaSources();
  const made = new Set<string>();
  for (const c of cases) {
    for (const fn of c.lambdas) {
      if (made.has(fn.name)) continue;
      made.add(fn.name);
      const code = sources[fn.kind];
      if (!code) throw new Error(`data/asl/aws-recorded/lambdas.mjs has no function of kind '${fn.kind}' (case ${c.id})`);
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: fn.name,
          Runtime: 'nodejs22.x',
          Role: `arn:aws:iam::${account}:role/recorded-cases`,
          Handler: 'index.handler',
          Timeout: 90,
          Code: { ZipFile: zipSync({ 'index.mjs': strToU8(code) }) },
        }),
      );
    }
  }
}

const toLocal = (text: string, account: string): string => text.replaceAll(RECORDED_ACCOUNT, account);
const toRecorded = (text: string | undefined, account: string): string | undefined => text?.replaceAll(account, RECORDED_ACCOUNT);

export async function runCase(sfn: SFNClient, c: RecordedCase, index: number, account: string): Promise<Actual> {
  const created = await sfn.send(
    new CreateStateMachineCommand({
      name: `case-${index}`,
      definition: toLocal(JSON.stringify(c.definition), account),
      roleArn: `arn:aws:iam::${account}:role/recorded-cases`,
      type: c.type,
    }),
  );
  const input = c.input === null ? undefined : toLocal(c.input, account);
  if (c.sync) {
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: created.stateMachineArn, input }));
    return { status: out.status!, output: toRecorded(out.output, account), error: out.error, cause: toRecorded(out.cause, account) };
  }
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: created.stateMachineArn, input }));
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return {
        status: described.status!,
        output: toRecorded(described.output, account),
        error: described.error,
        cause: toRecorded(described.cause, account),
        events: events.map((e) => e.type!),
        links: events.map((e) => `${e.id}<${e.previousEventId}`),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function judge(c: RecordedCase, actual: Actual): Verdict {
  const e = c.expected;
  let result: string | undefined;
  if (e.status !== actual.status) result = `status: expected ${e.status}, got ${actual.status} (${actual.error ?? ''}: ${actual.cause ?? actual.output ?? ''})`;
  else if (e.status === 'SUCCEEDED') result = difference(e.output, actual.output);
  else result = difference(e.error ?? null, actual.error ?? null, 'error') ?? difference(e.cause ?? null, actual.cause ?? null, 'cause');
  let events: string | undefined | null = null;
  if (e.events && actual.events) {
    const ours = comparableEvents(c, actual.events);
    const same = e.events.length === ours.length && e.events.every((t, i) => t === ours[i]);
    events = same ? undefined : `expected ${e.events.join(' ')}\n      got ${ours.join(' ')}`;
  }
  let links: string | undefined | null = null;
  const raw = e.raw_events;
  if (raw && actual.links && !raw.some((event) => Array.isArray(event.id))) {
    const recorded = raw.map((event) => `${event.id as number}<${(event as { previousEventId?: number }).previousEventId}`);
    const same = recorded.length === actual.links.length && recorded.every((l, i) => l === actual.links![i]);
    links = same ? undefined : `expected ${recorded.join(' ')}\n      got ${actual.links.join(' ')}`;
  }
  return { result, events, links };
}

/**
 * Our event types, less the ones the recording cannot show. Where LocalStack normalized the
 * ids of concurrent events (Parallel branches: `id: [0]`) it also dropped events from that
 * stretch: the ids left show the gap (ParallelStateExited #13 follows #11, as MapStateExited
 * follows the event before MapStateSucceeded). An event of ours in such a gap whose type the
 * recording never shows is left out of the comparison; nothing else is.
 */
function comparableEvents(c: RecordedCase, types: readonly string[]): string[] {
  const raw = c.expected.raw_events ?? [];
  if (!raw.some((event) => Array.isArray(event.id))) return [...types];
  const known = new Set(raw.filter((event) => typeof event.id === 'number').map((event) => event.id as number));
  const lastKnown = Math.max(...known);
  const recordedTypes = new Set(raw.map((event) => event.type));
  return types.filter((type, i) => known.has(i + 1) || i + 1 > lastKnown || recordedTypes.has(type));
}
