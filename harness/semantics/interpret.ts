/**
 * The meaning of every node kind, with provenance: each value carries the ids of the
 * invocations whose outputs it holds (`from`), and each call names them as its parents.
 *
 * This is Baton's oracle (`evaluate` runs it on plain in-process calls) and the
 * orchestrator of adapters that orchestrate in the harness's process (platforms/inline,
 * through harness/adapter-kit). What it says about parents is what the conformance suite
 * expects of every adapter's trace:
 * - a value passed on (sequence, choice) keeps its producers;
 * - a join (parallel, map, window, firstOf, a dag's sinks) holds the producers of all
 *   the values it joins;
 * - every branch, map item and window of one input has that input's producers;
 * - a shuffle's reducer has the mappers that contributed to its key;
 * - a dag task has its parents' producers (a root, the dag input's);
 * - a fold step has the previous step (the first, the fold input's producers);
 * - a try's retried body has the try input's producers, and so has its catch handler
 *   (a failed attempt produced nothing).
 */
import { UnsupportedError } from '../model/errors.ts';
import type { Value } from '../model/value.ts';
import { isRecord } from '../model/value.ts';
import { handlesError, type CaughtError, type WorkflowNode } from '../model/workflow.ts';
import { errorNameOf } from '../model/function-error.ts';
import { errorMessage } from '../model/errors.ts';
import { holds } from '../model/condition.ts';
import { dagSinks } from '../model/dag.ts';
import { windowsOf } from '../model/window.ts';
import { groupByKey } from '../adapter-kit/group-by-key.ts';

/** A value and the invocations whose outputs it holds. */
export interface Produced {
  readonly value: Value;
  readonly from: readonly string[];
}

/** Runs one function on `input`, whose producers are `parents`; returns the output and the new invocation's id. */
export type Call = (fn: string, input: Value, parents: readonly string[]) => Promise<{ readonly value: Value; readonly id: string }>;

export async function interpret(node: WorkflowNode, input: Produced, call: Call): Promise<Produced> {
  const task = async (fn: string, value: Value, from: readonly string[]): Promise<Produced> => {
    const out = await call(fn, value, unique(from));
    return { value: out.value, from: [out.id] };
  };
  const run = async (n: WorkflowNode, current: Produced): Promise<Produced> => {
    switch (n.kind) {
      case 'task':
        return task(n.fn, current.value, current.from);
      case 'sequence': {
        let value = current;
        for (const step of n.steps) value = await run(step, value);
        return value;
      }
      case 'parallel':
        return joined(await Promise.all(n.branches.map((b) => run(b, current))));
      case 'map':
        return joined(await Promise.all(asArray(current.value, 'map').map((item) => run(n.body, { value: item, from: current.from }))));
      case 'choice': {
        const chosen = n.cases.find((c) => holds(c.when, current.value))?.then ?? n.otherwise;
        if (!chosen) throw new Error('choice: no case matched and there is no otherwise branch');
        return run(chosen, current);
      }
      case 'dag': {
        // Each task starts once its parents are done (a data edge is the only order).
        const started = new Map<string, Promise<Produced>>();
        const byId = new Map(n.tasks.map((t) => [t.id, t]));
        const start = (id: string): Promise<Produced> => {
          let running = started.get(id);
          if (!running) {
            const t = byId.get(id)!;
            running = (async () => {
              const parents = await Promise.all(t.after.map((p) => start(p).then((out) => [p, out] as const)));
              const inputs: Record<string, Value> =
                parents.length === 0 ? { $input: current.value } : Object.fromEntries(parents.map(([p, out]) => [p, out.value]));
              const from = parents.length === 0 ? current.from : parents.flatMap(([, out]) => out.from);
              return task(t.fn, { id: t.id, args: t.args ?? null, inputs }, from);
            })();
            started.set(id, running);
          }
          return running;
        };
        const sinks = dagSinks(n.tasks);
        const outputs = await Promise.all(n.tasks.map((t) => start(t.id)));
        const byTask = new Map(n.tasks.map((t, i) => [t.id, outputs[i]!]));
        return { value: Object.fromEntries(sinks.map((id) => [id, byTask.get(id)!.value])), from: sinks.flatMap((id) => byTask.get(id)!.from) };
      }
      case 'shuffle': {
        const mapped = await Promise.all(asArray(current.value, 'shuffle').map((item) => task(n.mapper, item, current.from)));
        const groups = groupByKey(
          mapped.map((m) => m.value),
          (i) => mapped[i]!.from,
        );
        return joined(await Promise.all(groups.map(({ key, values, from }) => task(n.reducer, { key, values: values as Value[] }, from))));
      }
      case 'window': {
        const outputs: Produced[] = [];
        for (const window of windowsOf(asArray(current.value, 'window'), n.size)) outputs.push(await task(n.fn, window, current.from));
        return joined(outputs);
      }
      case 'firstOf': {
        const done: Produced[] = [];
        await Promise.all(
          n.branches.map(async (b) => {
            const out = await run(b, current);
            if (done.length < n.k) done.push(out);
          }),
        );
        return joined(done);
      }
      case 'try': {
        for (let attempt = 1; ; attempt++) {
          try {
            return await run(n.body, current);
          } catch (error) {
            if (error instanceof UnsupportedError) throw error; // not the workflow's failure: the platform's
            const name = errorNameOf(error);
            const retry = n.retry;
            if (retry && handlesError(retry.errors, name) && attempt < retry.maxAttempts) {
              await new Promise((resolve) => setTimeout(resolve, retry.intervalMs * retry.backoffRate ** (attempt - 1)));
              continue;
            }
            const handler = n.catch?.find((c) => handlesError(c.errors, name));
            if (!handler) throw error;
            const caught: CaughtError = { error: name, cause: errorMessage(error), input: current.value };
            return run(handler.then, { value: caught as unknown as Value, from: current.from });
          }
        }
      }
      case 'foreign':
        throw new UnsupportedError(`foreign: the oracle does not run a workflow in a platform's own format (${n.format}); its workload verifies it`);
      case 'fold': {
        if (!isRecord(current.value) || !Array.isArray(current.value['items'])) throw new Error('fold: input must be { items: [...], state }');
        let state: Produced = { value: current.value['state'] ?? null, from: current.from };
        const items = current.value['items'] as Value[];
        for (let index = 0; index < items.length; index++) state = await task(n.fn, { state: state.value, item: items[index]!, index }, state.from);
        return state;
      }
    }
  };
  return run(node, input);
}

function joined(outputs: readonly Produced[]): Produced {
  return { value: outputs.map((o) => o.value), from: unique(outputs.flatMap((o) => o.from)) };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function asArray(value: Value, kind: string): readonly Value[] {
  if (!Array.isArray(value)) throw new Error(`${kind}: input must be an array`);
  return value;
}
