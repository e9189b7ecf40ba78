/**
 * Unum's runtime, wrapped around every user function (bundled into each Lambda):
 *
 * 1. If this instance's checkpoint exists, skip the user code and use it (a retry or
 *    a duplicate after the checkpoint).
 * 2. Else run the user code, and checkpoint the output with a conditional put
 *    (`attribute_not_exists`); if another instance won, discard this output and use
 *    the winner's (a duplicate): every output is used exactly once.
 * 3. Invoke what comes next asynchronously (Lambda `Event`): Scalar, Map (one per item),
 *    or a fan-in: mark this branch done in the fan-in's record, and if that completes
 *    the set, the one branch that wins a conditional put invokes the aggregator.
 * 4. The last function writes the session's result (with the trace) and removes the
 *    session's checkpoints (garbage collection).
 *
 * Faults for tests: `duplicate` (invoke next twice), `crash-before-checkpoint`,
 * `crash-after-checkpoint` (throw, so Lambda retries the Event); an instance crashes
 * at most once at each point, so Lambda's two retries always get through.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  BatchGetItemCommand, BatchWriteItemCommand, ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { decodeValue, encodeValue, jsonSizeBytes, windowsOf, type FunctionsModule, type Value } from '../../harness/model/index.ts';
import { holds } from '../../harness/model/condition.ts';
import type { FunctionRecord } from '../aws-local/function-record.ts';
import { instanceName, type UnumConfig } from './ir.ts';

export interface Fanout { readonly Index: number; readonly Size: number }

export interface UnumPayload {
  readonly Session: string;
  readonly Data: { readonly Value: unknown };
  /** The fan-out indexes this instance sits under, outermost first. */
  readonly Fanout: readonly Fanout[];
  /** Instances whose outputs this input carries. */
  readonly Parents: readonly string[];
  readonly Faults: Readonly<Record<string, number>>;
  /** What the sender spent after its user code before invoking: the store part of this transition. */
  readonly Upstream?: { readonly storeWriteUs: number; readonly storeReadUs: number };
  /** When the sender invoked (monotonic ns, as a string; epoch ms on AWS). */
  readonly SentNs?: string;
  readonly SentEpochMs?: number;
}

/** What each instance that ran user code leaves in its checkpoint, for the trace and the bill. */
export interface UnumRecord extends FunctionRecord {
  /**
   * The transition into this instance, by kind: the sender's store writes (checkpoint,
   * fan-in marks) and reads (fan-in inputs) plus this instance's checkpoint check, and
   * the asynchronous invoke (sent -> handler start).
   */
  readonly transition?: { readonly storeWriteUs: number; readonly storeReadUs: number; readonly invokeUs: number };
}

const WORKER = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
let cold = true;

export function createHandler(functions: FunctionsModule['functions']): (event: UnumPayload) => Promise<null> {
  const env = process.env;
  const configs = JSON.parse(env['UNUM_CONFIGS'] ?? '{}') as Record<string, UnumConfig>;
  const table = env['UNUM_TABLE'] ?? '';
  const functionNames = JSON.parse(env['UNUM_FUNCTIONS'] ?? '{}') as Record<string, string>;
  const region = env['AWS_REGION'] ?? 'us-east-1';
  const endpoints = { lambda: env['UNUM_LAMBDA_ENDPOINT'], dynamo: env['UNUM_DYNAMO_ENDPOINT'] };
  const credentials = env['UNUM_LOCAL'] === '1' ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
  const lambda = new LambdaClient({ region, ...(endpoints.lambda ? { endpoint: endpoints.lambda } : {}), ...(credentials ? { credentials } : {}) });
  const db = new DynamoDBClient({ region, ...(endpoints.dynamo ? { endpoint: endpoints.dynamo } : {}), ...(credentials ? { credentials } : {}) });

  const handle = async (event: UnumPayload): Promise<null> => {
    const arrivedNs = process.hrtime.bigint();
    const arrivedEpochMs = Date.now();
    const config = configs[env['UNUM_NODE'] ?? '']!;
    const wasCold = cold;
    cold = false;
    const loop = config.Loop ? (event.Data.Value as { items: unknown[]; state: unknown; index?: number }) : undefined;
    const iteration = loop ? (loop.index ?? 0) : undefined;
    const loopEnd = loop !== undefined && iteration! >= (loop.items?.length ?? 0);
    const me = instanceName(config.Name, event.Fanout.map((f) => f.Index)) + (iteration === undefined ? '' : `-unumIter-${iteration}`);
    const timing = { storeReadUs: 0, storeWriteUs: 0, invokeUs: 0 };
    const timed = async <T>(kind: 'storeRead' | 'storeWrite' | 'invoke', work: () => Promise<T>): Promise<T> => {
      const t = process.hrtime.bigint();
      try {
        return await work();
      } finally {
        timing[`${kind}Us`] += Number(process.hrtime.bigint() - t) / 1000;
      }
    };
    const key = (sk: string) => ({ pk: { S: event.Session }, sk: { S: sk } });
    const bump = (counter: string) => timed('storeWrite', () => db.send(new UpdateItemCommand({
      TableName: table, Key: key('stats'), UpdateExpression: 'ADD #c :one', ExpressionAttributeNames: { '#c': counter }, ExpressionAttributeValues: { ':one': { N: '1' } },
    })));
    /** Crashes at most once per instance and point, so that a retry gets through. */
    const maybeCrash = async (point: 'crash-before-checkpoint' | 'crash-after-checkpoint') => {
      const p = event.Faults[point] ?? 0;
      if (p <= 0 || Math.random() >= p) return;
      try {
        await timed('storeWrite', () => db.send(new PutItemCommand({ TableName: table, Item: { ...key(`crash/${point}/${me}`) }, ConditionExpression: 'attribute_not_exists(pk)' })));
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return;
        throw error;
      }
      await bump(point);
      throw new InjectedCrash(`injected ${point} in ${me}`);
    };

    // 1. A checkpoint from an earlier attempt or a duplicate: reuse it.
    const existing = await timed('storeRead', () => db.send(new GetItemCommand({ TableName: table, Key: key(`cp/${me}`), ConsistentRead: true })));
    let output: unknown;
    if (existing.Item) {
      output = JSON.parse(existing.Item['output']!.S!);
      await bump('checkpointsReused');
    } else {
      // 2. Run the user code (or Baton's $spread / $collect, which have none), then checkpoint.
      const input = event.Data.Value;
      const startEpochMs = Date.now();
      const startNs = process.hrtime.bigint();
      if (config.Function === '$spread' || config.Function === '$collect') output = input;
      else if (config.Function === '$first') output = (input as unknown[]).slice(0, config.K);
      else if (config.Function === '$group') output = groupByKey(input as unknown[]);
      else if (config.Function === '$window') output = windowsOf(decodeValue(input as never) as Value[], config.Window!).map((w) => encodeValue(w));
      else if (loopEnd) output = loop!.state; // the items ran out: pass the final state on
      else {
        const fn = functions[config.Function];
        if (!fn) throw new Error(`function '${config.Function}' is not exported by the workload's functions`);
        const ctx = { invocationId: me, log: (m: string) => console.log(m), now: () => process.hrtime.bigint(), alloc: (n: number) => new Uint8Array(n) };
        const argument = loop ? { state: loop.state, item: loop.items[iteration!], index: iteration! }
          : config.Dag ? { id: config.Dag.id, args: config.Dag.args, inputs: config.Dag.root ? { $input: input } : input } : input;
        try {
          output = encodeValue(await fn(decodeValue(argument as never), ctx));
        } catch (error) {
          throw new Error(`function '${config.Function}' failed: ${(error as Error).message}`, { cause: error });
        }
      }
      const endNs = process.hrtime.bigint();
      await maybeCrash('crash-before-checkpoint');
      const invokeUs = event.SentNs !== undefined && env['UNUM_LOCAL'] === '1' ? Number(arrivedNs - BigInt(event.SentNs)) / 1000
        : event.SentEpochMs !== undefined ? (arrivedEpochMs - event.SentEpochMs) * 1000 : 0;
      const record: UnumRecord = {
        id: me, fn: loopEnd ? '$loopEnd' : config.Function, startNs: String(startNs), endNs: String(endNs), startEpochMs, endEpochMs: Date.now(), cold: wasCold, worker: WORKER,
        parents: event.Parents, inBytes: jsonSizeBytes(input ?? null), outBytes: jsonSizeBytes(output ?? null),
        ...(event.Upstream ? { transition: { storeWriteUs: event.Upstream.storeWriteUs, storeReadUs: event.Upstream.storeReadUs + timing.storeReadUs, invokeUs } } : {}),
      };
      timing.storeReadUs = 0; // from here on: what the next instance's transition spends here
      try {
        await timed('storeWrite', () => db.send(new PutItemCommand({
          TableName: table, Item: { ...key(`cp/${me}`), output: { S: JSON.stringify(output) }, record: { S: JSON.stringify(record) } },
          ConditionExpression: 'attribute_not_exists(pk)',
        })));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // A duplicate checkpointed first: its output is the one the workflow uses.
        const winner = await timed('storeRead', () => db.send(new GetItemCommand({ TableName: table, Key: key(`cp/${me}`), ConsistentRead: true })));
        output = JSON.parse(winner.Item!['output']!.S!);
        await bump('duplicatesDiscarded');
      }
    }
    await maybeCrash('crash-after-checkpoint');

    // 3. What comes next.
    const invoke = async (node: string, payload: UnumPayload) => {
      const times = Math.random() < (event.Faults['duplicate'] ?? 0) ? 2 : 1;
      if (times === 2) await bump('duplicatesInjected');
      const upstream = { storeWriteUs: timing.storeWriteUs, storeReadUs: timing.storeReadUs };
      for (let i = 0; i < times; i++) {
        const sent = { ...payload, Upstream: upstream, SentNs: String(process.hrtime.bigint()), SentEpochMs: Date.now() };
        await timed('invoke', () => lambda.send(new InvokeCommand({ FunctionName: functionNames[node], InvocationType: 'Event', Payload: JSON.stringify(sent) })));
      }
    };
    const base = { Session: event.Session, Faults: event.Faults, Parents: [me] };
    if (loop && !loopEnd) {
      // Self-invocation: the next iteration carries the new state.
      await invoke(config.Name, { ...base, Data: { Value: { items: loop.items, state: output, index: iteration! + 1 } }, Fanout: event.Fanout });
      return null;
    }
    if (!config.Next) return finish(output);
    const value = decodeValue(output as never);
    const taken = config.Next.filter((n) => !n.When || (n.When.all.every((c) => holds(c, value)) && !n.When.none.some((c) => holds(c, value))));
    if (config.Next.some((n) => n.When) && taken.length === 0) throw new Error(`${me}: no case of the choice matched and there is no otherwise`);
    for (const next of taken) {
      if (next.InputType === 'Scalar' && (config.Next.length === 1 || next.When || next.Keep)) {
        await invoke(next.Name, { ...base, Data: { Value: output }, Fanout: event.Fanout });
      } else if (next.InputType === 'Scalar') {
        const index = config.Next.indexOf(next);
        await invoke(next.Name, { ...base, Data: { Value: output }, Fanout: [...event.Fanout, { Index: index, Size: config.Next.length }] });
      } else if (next.InputType === 'Map') {
        const items = output as unknown[];
        if (!Array.isArray(items)) throw new Error(`${me}: a Map next needs an array output`);
        await Promise.all(items.map((item, i) => invoke(next.Name, { ...base, Data: { Value: item }, Fanout: [...event.Fanout, { Index: i, Size: items.length }] })));
        if (items.length === 0) await invoke(joinOf(next.Name), { ...base, Data: { Value: [] }, Fanout: event.Fanout });
      } else {
        await fanIn(next.Name, next.InputType['Fan-in'].Values);
      }
    }
    return null;

    /** Marks this branch done; the branch that completes the set (and wins the right to) invokes the aggregator. */
    async function fanIn(aggregator: string, values: readonly string[]): Promise<void> {
      // By index (the branches of a fan-out: X-unumIndex-*) or by name (a DAG node's parents).
      const named = !values.some((v) => v.endsWith('-unumIndex-*'));
      const branch = named ? { Index: values.indexOf(config.Name), Size: values.length } : event.Fanout.at(-1)!;
      const outer = named ? event.Fanout : event.Fanout.slice(0, -1);
      const target = instanceName(aggregator, outer.map((f) => f.Index));
      const marked = await timed('storeWrite', () => db.send(new UpdateItemCommand({
        TableName: table, Key: key(`fanin/${target}`), UpdateExpression: 'ADD done :i', ExpressionAttributeValues: { ':i': { NS: [String(branch.Index)] } }, ReturnValues: 'ALL_NEW',
      })));
      if ((marked.Attributes?.['done']?.NS?.length ?? 0) < branch.Size) return;
      try {
        await timed('storeWrite', () => db.send(new PutItemCommand({ TableName: table, Item: key(`fanin-fired/${target}`), ConditionExpression: 'attribute_not_exists(pk)' })));
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return; // another branch (or a duplicate) fired it
        throw error;
      }
      const names = Array.from({ length: branch.Size }, (_, i) => {
        if (named) return `cp/${instanceName(values[i]!, outer.map((f) => f.Index))}`;
        const pattern = values.length === 1 ? values[0]! : values[i]!;
        return `cp/${instanceName(pattern.replace(/-unumIndex-\*$/, ''), [...outer.map((f) => f.Index), i])}`;
      });
      const outputs = await readCheckpoints(names);
      // A DAG node gets its parents' outputs by their task ids.
      const value = named ? Object.fromEntries(values.map((v, i) => [configs[v]?.Dag?.id ?? v, outputs[i]])) : outputs;
      await invoke(aggregator, { ...base, Parents: names.map((n) => n.slice(3)), Data: { Value: value }, Fanout: outer });
    }

    async function readCheckpoints(names: readonly string[]): Promise<unknown[]> {
      const found = new Map<string, unknown>();
      for (let i = 0; i < names.length; i += 100) {
        let keys = names.slice(i, i + 100).map(key);
        while (keys.length > 0) {
          const page = await timed('storeRead', () => db.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } })));
          for (const item of page.Responses?.[table] ?? []) found.set(item['sk']!.S!, JSON.parse(item['output']!.S!));
          keys = (page.UnprocessedKeys?.[table]?.Keys ?? []) as typeof keys;
        }
      }
      return names.map((n) => {
        if (!found.has(n)) throw new Error(`fan-in: checkpoint ${n} is missing`);
        return found.get(n);
      });
    }

    function joinOf(name: string): string {
      // An empty Map: nothing will fan in, so its join is invoked with an empty array at once.
      for (const c of Object.values(configs)) {
        if (c.Name !== name) continue;
        const fanin = c.Next?.find((n) => typeof n.InputType === 'object');
        if (fanin) return fanin.Name;
      }
      throw new Error(`${me}: cannot find the join after '${name}'`);
    }

    /** 4. The result (output + the trace of every instance that ran), then garbage collection. */
    async function finish(result: unknown): Promise<null> {
      const items: Record<string, { S?: string }>[] = [];
      let startKey: Record<string, never> | undefined;
      do {
        const page = await timed('storeRead', () => db.send(new QueryCommand({
          TableName: table, KeyConditionExpression: 'pk = :s', ExpressionAttributeValues: { ':s': { S: event.Session } }, ConsistentRead: true, ExclusiveStartKey: startKey,
        })));
        items.push(...((page.Items ?? []) as typeof items));
        startKey = page.LastEvaluatedKey as typeof startKey;
      } while (startKey);
      const records = items.filter((i) => i['sk']!.S!.startsWith('cp/') && i['record']).map((i) => i['record']!.S!);
      try {
        await timed('storeWrite', () => db.send(new PutItemCommand({
          TableName: table, Item: { ...key('result'), output: { S: JSON.stringify(result) }, records: { S: `[${records.join(',')}]` } }, ConditionExpression: 'attribute_not_exists(pk)',
        })));
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return null; // a duplicate of the last function wrote it
        throw error;
      }
      const garbage = items.map((i) => i['sk']!.S!).filter((sk) => sk !== 'stats');
      for (let i = 0; i < garbage.length; i += 25) {
        await timed('storeWrite', () => db.send(new BatchWriteItemCommand({ RequestItems: { [table]: garbage.slice(i, i + 25).map((sk) => ({ DeleteRequest: { Key: key(sk) } })) } })));
      }
      return null;
    }
  };

  return async (event) => {
    try {
      return await handle(event);
    } catch (error) {
      if (!(error instanceof InjectedCrash)) {
        // Not a test's crash: the session has failed. Say so where the caller looks (best effort), then fail
        // this invocation as Lambda would (it may retry it).
        const message = (error as Error).message;
        await db.send(new PutItemCommand({ TableName: table, Item: { pk: { S: event.Session }, sk: { S: 'error' }, message: { S: message } } })).catch(() => {});
      }
      throw error;
    }
  };
}

class InjectedCrash extends Error {}

/** A shuffle's grouping: mapper outputs `{ key: value }` -> `[{ key, values }]` by key, values in mapper order. */
function groupByKey(mapped: readonly unknown[]): unknown[] {
  const groups = new Map<string, unknown[]>();
  for (const out of mapped) {
    if (typeof out !== 'object' || out === null || Array.isArray(out)) throw new Error('shuffle: a mapper must return an object of { groupKey: value }');
    for (const [key, value] of Object.entries(out)) groups.set(key, [...(groups.get(key) ?? []), value]);
  }
  return [...groups.keys()].sort().map((key) => ({ key, values: groups.get(key)! }));
}

export type { Value };
