/**
 * Unum's runtime, wrapped around every user function (bundled into each Lambda):
 *
 * 1. If this instance's checkpoint exists, skip the user code and use it (a retry or
 *    a duplicate after the checkpoint).
 * 2. Else run the user code, and checkpoint the output with a conditional put; if
 *    another instance won, discard this output and use the winner's (a duplicate):
 *    every output is used exactly once.
 * 3. Invoke what comes next asynchronously (Lambda `Event`): Scalar, Map (one per item),
 *    or a fan-in, by Unum's rule: mark this branch done in the fan-in's record; any
 *    branch that then sees the set complete invokes the aggregator with pointers to the
 *    branches' checkpoints (the aggregator reads its inputs from the store), and the
 *    aggregator's checkpoint absorbs the duplicates.
 * 4. The last function writes the session's result as soon as its checkpoint is in.
 * 5. Garbage collection edge by edge, as Unum's runtime does it: once an instance has its
 *    own checkpoint, the checkpoints it consumed are collected (left as small tombstones,
 *    so a late duplicate of their instance knows it has nothing to do); a checkpoint with
 *    several consumers is collected by the last of them to count itself.
 * Each invocation leaves its bill (and its instance's trace record) in the session's
 * ledger after its work, off the workflow's path. With `UNUM_STORE` (dataPassing=s3) the
 * data of large values goes to S3 and checkpoints hold pointers (wrapper/data-store.ts).
 * With `BATON_FUNCTION_STORAGE` the user code gets `ctx.storage` and `ctx.nosql` over the
 * deployment's bucket and tables, and their requests go on the invocation's bill.
 *
 * The parts: the checkpoint protocol (wrapper/session-store.ts), routing
 * (wrapper/routing.ts), Baton's own steps (wrapper/system-steps.ts), timing of the
 * transition's parts (wrapper/timing.ts) and fault injection (wrapper/faults.ts).
 */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { jsonSizeBytes, type FunctionsModule } from '../../harness/model/index.ts';
import { WORKER_ID, runFunction, takeColdStart } from '../../harness/adapter-kit/index.ts';
import { instanceName, type NextEntry, type UnumConfig } from './ir.ts';
import { FAILURE_NODE, isFailedInvocation, recordFailure } from './wrapper/failure.ts';
import { Faults } from './wrapper/faults.ts';
import type { UnumPayload, UnumRecord } from './wrapper/payload.ts';
import { fanInOf, joinAfter, takenEntries } from './wrapper/routing.ts';
import { handwrittenRoutes, type Route } from './wrapper/handwritten-routing.ts';
import { InputsCollected, SessionStore } from './wrapper/session-store.ts';
import { isSystemStep, itemParents, runSystemStep } from './wrapper/system-steps.ts';
import { PartTimer } from './wrapper/timing.ts';
import { UnumData } from './wrapper/data-store.ts';
import { readWorkflowFile } from './wrapper/workflow-file.ts';
import { functionStorageFromEnv, newStorageBill, type AwsFunctionStorage, type StorageBill } from '../aws-local/function-storage.ts';

export type { Fanout, UnumPayload, UnumRecord } from './wrapper/payload.ts';

/** What an invocation leaves in the ledger besides its costs: the invocations it made, and its instance's record if its checkpoint won. */
interface Bill {
  invoked: number;
  record?: UnumRecord;
}

/**
 * How many invocations consume this checkpoint: one per Scalar entry taken, one per Map
 * item (or the join, for none), one (the aggregator) per fan-in; undefined when a DAG
 * fan-in takes it (a parent read by children that cannot count each other).
 */
function consumersOf(taken: readonly NextEntry[], output: unknown): number | undefined {
  let total = 0;
  for (const next of taken) {
    if (next.InputType === 'Scalar') total++;
    else if (next.InputType === 'Map') total += Math.max(1, Array.isArray(output) ? output.length : 0);
    else if (next.InputType['Fan-in'].Values.some((v) => !v.includes('-unumIndex-'))) return undefined;
    else total++;
  }
  return total;
}

interface LoopInput {
  readonly items: unknown[];
  readonly state: unknown;
  readonly index?: number;
}

export function createHandler(functions: FunctionsModule['functions']): (event: UnumPayload) => Promise<null> {
  const env = process.env;
  const { configs, functions: functionNames } = readWorkflowFile(import.meta.url);
  const table = env['UNUM_TABLE'] ?? '';
  const region = env['AWS_REGION'] ?? 'us-east-1';
  const endpoints = { lambda: env['UNUM_LAMBDA_ENDPOINT'], dynamo: env['UNUM_DYNAMO_ENDPOINT'] };
  // Credentials come from the environment, where Lambda (and its local stand-in) puts the function's.
  const lambda = new LambdaClient({ region, ...(endpoints.lambda ? { endpoint: endpoints.lambda } : {}) });
  const db = new DynamoDBClient({ region, ...(endpoints.dynamo ? { endpoint: endpoints.dynamo } : {}) });
  const valueStore = UnumData.storeFromEnv(env);
  const offloadBytes = Number(env['UNUM_OFFLOAD_BYTES'] ?? 0);
  const functionStorage: AwsFunctionStorage | undefined = functionStorageFromEnv(env);

  const handle = async (
    event: UnumPayload,
    store: SessionStore,
    timer: PartTimer,
    bill: Bill,
    data: UnumData | undefined,
    storageBill: StorageBill,
  ): Promise<null> => {
    const arrivedNs = process.hrtime.bigint();
    const arrivedEpochMs = Date.now();
    const config = configs[env['UNUM_NODE'] ?? '']!;
    const cold = takeColdStart();
    const loop = config.Loop && 'Value' in event.Data ? (event.Data.Value as LoopInput) : undefined;
    const iteration = loop ? (loop.index ?? 0) : undefined;
    const loopEnd = loop !== undefined && iteration! >= (loop.items?.length ?? 0);
    const me =
      instanceName(
        config.Name,
        event.Fanout.map((f) => f.Index),
      ) + (iteration === undefined ? '' : `-unumIter-${iteration}`);
    const faults = new Faults(event.Faults, store, me);

    // 1. A checkpoint from an earlier attempt or a duplicate: reuse it. One already collected means
    // this instance's successors have checkpointed: a late duplicate, with nothing left to do.
    // Without a checkpoint (Unum's at-least-once mode), every invocation runs the function again.
    const existing = config.Checkpoint ? await store.checkpoint(me) : undefined;
    if (existing?.collected) {
      await store.count('duplicatesAfterGc');
      return null;
    }
    let output: unknown;
    if (existing) {
      output = existing.output;
      if (existing.record) bill.record = { ...existing.record, fromCheckpoint: true };
      await store.count('checkpointsReused');
    } else {
      // 2. Run the user code (or one of Baton's steps, which have none), then checkpoint. A fan-in's
      // aggregator gets pointers, and reads its inputs from the branches' checkpoints.
      const input = await inputOf(event.Data, store);
      const ran = await runInstance(config, input, loop, iteration, loopEnd, { me, parents: event.Parents, cold }, data, storageBill);
      // Under the session's prefix (the client removes it); each invocation its own keys, so a duplicate overwrites nothing.
      if (data) ran.output = await data.offload(ran.output, `runs/${event.Session}/${me}/${randomUUID().slice(0, 8)}`);
      await faults.maybeCrash('crash-before-checkpoint');
      const invokeUs =
        event.SentNs !== undefined && env['UNUM_LOCAL'] === '1'
          ? Number(arrivedNs - BigInt(event.SentNs)) / 1000
          : event.SentEpochMs !== undefined
            ? (arrivedEpochMs - event.SentEpochMs) * 1000
            : 0;
      const record: UnumRecord = {
        ...ran.record,
        inBytes: jsonSizeBytes(input ?? null),
        ...(event.Upstream
          ? { transition: { storeWriteUs: event.Upstream.storeWriteUs, storeReadUs: event.Upstream.storeReadUs + timer.us.storeReadUs, invokeUs } }
          : {}),
      };
      timer.us.storeReadUs = 0; // from here on: what the next instance's transition spends here
      if (!config.Checkpoint) {
        output = ran.output;
        bill.record = record;
      } else {
        const written = await store.writeCheckpoint(me, ran.output, record);
        output = written.output;
        // A duplicate checkpointed first: its output is the one the workflow uses.
        if (!written.won) await store.count('duplicatesDiscarded');
        else bill.record = record;
      }
    }
    await faults.maybeCrash('crash-after-checkpoint');

    // 3. What comes next.
    const invoke = async (node: string, payload: UnumPayload) => {
      const copies = await faults.copies();
      const upstream = { storeWriteUs: timer.us.storeWriteUs, storeReadUs: timer.us.storeReadUs };
      for (let i = 0; i < copies; i++) {
        const sent = { ...payload, Upstream: upstream, SentNs: String(process.hrtime.bigint()), SentEpochMs: Date.now() };
        await timer.time('invoke', () =>
          lambda.send(new InvokeCommand({ FunctionName: functionNames[node], InvocationType: 'Event', Payload: JSON.stringify(sent) })),
        );
        bill.invoked++;
      }
    };
    const base = { Session: event.Session, Faults: event.Faults, Parents: [me] };
    if (config.Handwritten) return routeHandwritten(config, output, me, event, store, faults, invoke);
    if (loop && !loopEnd) {
      // Self-invocation: the next iteration carries the new state.
      await invoke(config.Name, {
        ...base,
        Data: { Value: { items: loop.items, state: output, index: iteration! + 1 } },
        Fanout: event.Fanout,
        ...(config.Checkpoint ? { Gc: [{ Instance: me, Consumers: 1, Index: 0 }] } : {}),
      });
      return collect(store, event.Gc);
    }
    if (!config.Next) {
      // 4. The result, as soon as the last function's checkpoint is in; then the inputs' checkpoints go.
      await store.writeResult(output);
      return collect(store, event.Gc);
    }
    const taken = takenEntries(config, output, me);
    // Garbage collection, edge by edge as Unum's runtime does it: each consumer of this checkpoint
    // collects it once it has its own; with several consumers, the last one to count itself does.
    const consumers = config.Checkpoint ? consumersOf(taken, output) : undefined; // nothing to collect without a checkpoint
    let consumer = 0;
    const gc = (): UnumPayload['Gc'] => (consumers === undefined ? undefined : [{ Instance: me, Consumers: consumers, Index: consumer++ }]);
    for (const next of taken) {
      if (next.InputType === 'Scalar' && (config.Next.length === 1 || next.When || next.Keep)) {
        await invoke(next.Name, { ...base, Data: { Value: output }, Fanout: event.Fanout, Gc: gc() });
      } else if (next.InputType === 'Scalar') {
        const index = config.Next.indexOf(next);
        await invoke(next.Name, { ...base, Data: { Value: output }, Fanout: [...event.Fanout, { Index: index, Size: config.Next.length }], Gc: gc() });
      } else if (next.InputType === 'Map') {
        const items = output as unknown[];
        if (!Array.isArray(items)) throw new Error(`${me}: a Map next needs an array output`);
        // A shuffle's groups each name the mappers that contributed to them.
        const parentsOf = config.Function === '$group' ? itemParents(config, await inputOf(event.Data, store), event.Parents) : undefined;
        const branch = (item: unknown, i: number) =>
          invoke(next.Name, {
            ...base,
            Parents: parentsOf?.[i] ?? base.Parents,
            Data: { Value: item },
            Fanout: [...event.Fanout, { Index: i, Size: items.length }],
            Gc: consumers === undefined ? undefined : [{ Instance: me, Consumers: consumers, Index: i }],
          });
        // Unum's runtime starts a Map's branches one after another; Baton's default, all at once.
        if (env['UNUM_MAP_START'] === 'sequential') for (const [i, item] of items.entries()) await branch(item, i);
        else await Promise.all(items.map(branch));
        if (items.length === 0) await invoke(joinAfter(configs, next.Name, me), { ...base, Data: { Value: [] }, Fanout: event.Fanout, Gc: gc() });
      } else {
        // A fan-in, by Unum's rule: mark this branch done; any branch that then sees every branch done
        // invokes the aggregator with pointers to the inputs (their checkpoints), and the aggregator's
        // own checkpoint absorbs the duplicates (two branches seeing the set complete, a retry).
        const fanIn = fanInOf(config, event.Fanout, next.Name, next.InputType['Fan-in'].Values);
        if ((await store.markBranch(fanIn.target, fanIn.index)) < fanIn.size) continue;
        await faults.maybeCrash('crash-after-fan-in-check');
        // A DAG node gets its parents' outputs by their task ids (a parent may feed several: its
        // checkpoint stays to the end); any other branch has the aggregator as its one consumer.
        const values = next.InputType['Fan-in'].Values;
        const names = fanIn.named ? values.map((v) => configs[v]?.Dag?.id ?? v) : undefined;
        await invoke(next.Name, {
          ...base,
          Parents: [...fanIn.branches],
          Data: { Pointers: [...fanIn.branches], ...(names ? { Names: names } : {}) },
          Fanout: fanIn.outer,
          ...(names ? {} : { Gc: fanIn.branches.map((branch) => ({ Instance: branch, Consumers: 1, Index: 0 })) }),
        });
      }
    }
    return collect(store, event.Gc);
  };

  /**
   * IR written by hand, by Unum's rules (wrapper/handwritten-routing.ts). Its checkpoints are
   * collected edge by edge where every consumer got the output by value (a chain, a Map);
   * one that a fan-in reads stays to the end of the session, since the aggregator cannot
   * know what else consumes it (vpxenc in Unum's ExCamera feeds xcdec and a fan-in).
   */
  const routeHandwritten = async (
    config: UnumConfig,
    output: unknown,
    me: string,
    event: UnumPayload,
    store: SessionStore,
    faults: Faults,
    invoke: (node: string, payload: UnumPayload) => Promise<void>,
  ): Promise<null> => {
    const routes = handwrittenRoutes(config, event.Fanout, output, me);
    if (routes.length === 0) {
      // No entry taken: this instance ends the workflow (Unum's chain and ExCamera end so).
      await store.writeResult(output);
      return collect(store, event.Gc);
    }
    const consumers = config.Checkpoint && routes.every((r) => r.kind === 'invoke') ? routes.length : undefined;
    const base = { Session: event.Session, Faults: event.Faults, Parents: [me] };
    const send = (route: Extract<Route, { kind: 'invoke' }>, i: number) =>
      invoke(route.node, {
        ...base,
        Data: { Value: route.value },
        Fanout: route.fanout,
        ...(consumers ? { Gc: [{ Instance: me, Consumers: consumers, Index: i }] } : {}),
      });
    const direct = routes.flatMap((route, i) => (route.kind === 'invoke' ? [{ route, i }] : []));
    // A Map's items start one after another under unum-sequential (Unum's runtime), else all at once.
    if (env['UNUM_MAP_START'] === 'sequential') for (const { route, i } of direct) await send(route, i);
    else await Promise.all(direct.map(({ route, i }) => send(route, i)));
    for (const route of routes) {
      if (route.kind !== 'fanin') continue;
      if ((await store.markBranch(route.target, route.index)) < route.branches.length) continue;
      await faults.maybeCrash('crash-after-fan-in-check');
      await invoke(route.node, { ...base, Parents: [...route.branches], Data: { Pointers: [...route.branches] }, Fanout: route.fanout });
    }
    return collect(store, event.Gc);
  };

  /** Collects the checkpoints this invocation consumed (its own is in: they are needed no more). */
  const collect = async (store: SessionStore, entries: UnumPayload['Gc']): Promise<null> => {
    // An aggregator collects every branch: at once, not one after another.
    await Promise.all(
      (entries ?? []).map(async (entry) => {
        if (entry.Consumers > 1 && (await store.markConsumed(entry.Instance, entry.Index)) < entry.Consumers) return;
        await store.collectCheckpoint(entry.Instance);
      }),
    );
    return null;
  };

  /** The input an invocation carries: the value, or (a fan-in) what its pointers name in the store. */
  const inputOf = async (data: UnumPayload['Data'], store: SessionStore): Promise<unknown> => {
    if (!('Pointers' in data)) return data.Value;
    const outputs = await store.readCheckpoints(data.Pointers);
    return data.Names ? Object.fromEntries(data.Names.map((name, i) => [name, outputs[i]])) : outputs;
  };

  /** Runs what this IR node runs on `input`: user code, one of Baton's steps, or a fold's end. */
  const runInstance = async (
    config: UnumConfig,
    input: unknown,
    loop: LoopInput | undefined,
    iteration: number | undefined,
    loopEnd: boolean,
    who: { me: string; parents: readonly string[]; cold: boolean },
    data: UnumData | undefined,
    storageBill: StorageBill,
  ): Promise<{ output: unknown; record: UnumRecord }> => {
    if (isSystemStep(config) || loopEnd) {
      const startEpochMs = Date.now();
      const startNs = process.hrtime.bigint();
      // Baton's steps move data by its keys: they need the whole values a pointer stands for, not the data in them.
      const stepInput = data && !loopEnd ? await data.resolve(input, { wholeOnly: true }) : input;
      const output = loopEnd ? loop!.state : runSystemStep(config, stepInput); // the items ran out: pass the final state on
      const endNs = process.hrtime.bigint();
      const record: UnumRecord = {
        id: who.me,
        fn: loopEnd ? '$loopEnd' : config.Function,
        startNs: String(startNs),
        endNs: String(endNs),
        startEpochMs,
        endEpochMs: Date.now(),
        cold: who.cold,
        worker: WORKER_ID,
        parents: who.parents,
        inBytes: 0,
        outBytes: jsonSizeBytes(output ?? null),
      };
      return { output, record };
    }
    const argument = loop
      ? { state: loop.state, item: loop.items[iteration!], index: iteration! }
      : config.Dag
        ? { id: config.Dag.id, args: config.Dag.args, inputs: config.Dag.root ? { $input: input } : input }
        : input;
    try {
      const ran = await runFunction({
        name: config.Function,
        fn: functions[config.Function],
        // Baton's own steps move pointers about; user code gets the data.
        encodedInput: data ? await data.resolve(argument) : argument,
        parents: who.parents,
        cold: who.cold,
        recordId: who.me,
        ...(functionStorage ? { storage: functionStorage.for(storageBill) } : {}),
      });
      return { output: ran.value, record: ran.record };
    } catch (error) {
      throw new Error(`function '${config.Function}' failed: ${(error as Error).message}`, { cause: error });
    }
  };

  return async (event) => {
    if (env['UNUM_NODE'] === FAILURE_NODE) {
      const nodeOf = (fn: string) => Object.entries(functionNames).find(([, name]) => name === fn)?.[0];
      if (isFailedInvocation(event)) await recordFailure(event, (session) => new SessionStore(db, table, session, new PartTimer()), nodeOf);
      return null;
    }
    const startedNs = process.hrtime.bigint();
    const timer = new PartTimer();
    const store = new SessionStore(db, table, event.Session, timer);
    const bill: Bill = { invoked: 0 };
    const data = valueStore ? new UnumData(valueStore, offloadBytes, timer) : undefined;
    const storageBill = newStorageBill();
    try {
      return await handle(event, store, timer, bill, data, storageBill);
    } catch (error) {
      if (!(error instanceof InputsCollected)) throw error;
      await store.count('duplicatesAfterGc');
      return null;
    } finally {
      // A function that throws fails this invocation only: Lambda retries it (twice), and once
      // it gives up, the on-failure destination marks the session failed (wrapper/failure.ts).
      // The invocation's bill: Lambda bills the whole handler, rounded up to 1 ms.
      const billedMs = Math.max(1, Math.ceil(Number(process.hrtime.bigint() - startedNs) / 1e6));
      const { modelReadUnits, modelWriteUnits, reportedReadUnits, reportedWriteUnits } = store.capacity;
      await store
        .writeLedger(
          {
            invocations: 1,
            invoked: bill.invoked,
            billedMs,
            modelReadUnits,
            modelWriteUnits,
            reportedReadUnits,
            reportedWriteUnits,
            ...data?.bill(),
            ...(functionStorage ? storageBill : {}),
          },
          bill.record,
        )
        .catch(() => {});
    }
  };
}
