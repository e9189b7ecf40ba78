/**
 * The meaning of every node kind, as a plain in-process interpreter.
 *
 * This is Baton's oracle: adapters must produce what `evaluate` produces (up to the
 * completion order of `firstOf`, the one nondeterministic kind). It is not a platform
 * and is never benchmarked.
 */
import type { Value } from '../model/value.ts';
import { isRecord } from '../model/value.ts';
import type { WorkflowNode } from '../model/workflow.ts';
import { holds } from '../model/condition.ts';
import { dagSinks, topologicalOrder } from '../model/dag.ts';
import { windowsOf } from '../model/window.ts';
import type { FunctionContext, WorkflowFunction } from '../model/workload.ts';

export type Functions = Readonly<Record<string, WorkflowFunction>>;

export async function evaluate(node: WorkflowNode, input: Value, functions: Functions): Promise<Value> {
  let invocations = 0;
  const call = async (fn: string, arg: Value): Promise<Value> => {
    const f = functions[fn];
    if (!f) throw new Error(`function '${fn}' is not exported by the workload's functions module`);
    const ctx: FunctionContext = {
      invocationId: `oracle-${++invocations}`,
      log: () => {},
      now: () => process.hrtime.bigint(),
      alloc: (sizeBytes) => new Uint8Array(sizeBytes),
    };
    return f(arg, ctx);
  };
  const run = async (n: WorkflowNode, value: Value): Promise<Value> => {
    switch (n.kind) {
      case 'task': return call(n.fn, value);
      case 'sequence': {
        let current = value;
        for (const step of n.steps) current = await run(step, current);
        return current;
      }
      case 'parallel': return Promise.all(n.branches.map((b) => run(b, value)));
      case 'map': return Promise.all(asArray(value, 'map').map((item) => run(n.body, item)));
      case 'choice': {
        const chosen = n.cases.find((c) => holds(c.when, value))?.then ?? n.otherwise;
        if (!chosen) throw new Error('choice: no case matched and there is no otherwise branch');
        return run(chosen, value);
      }
      case 'dag': {
        const outputs = new Map<string, Value>();
        for (const task of topologicalOrder(n.tasks)) {
          const inputs: Record<string, Value> = {};
          if (task.after.length === 0) inputs['$input'] = value;
          for (const parent of task.after) inputs[parent] = outputs.get(parent)!;
          outputs.set(task.id, await call(task.fn, { id: task.id, args: task.args ?? null, inputs }));
        }
        return Object.fromEntries(dagSinks(n.tasks).map((id) => [id, outputs.get(id)!]));
      }
      case 'shuffle': {
        const mapped = await Promise.all(asArray(value, 'shuffle').map((item) => call(n.mapper, item)));
        const groups = new Map<string, Value[]>();
        for (const out of mapped) {
          if (!isRecord(out)) throw new Error('shuffle: a mapper must return an object of { groupKey: value }');
          for (const [key, v] of Object.entries(out)) {
            const group = groups.get(key);
            if (group) group.push(v); else groups.set(key, [v]);
          }
        }
        const keys = [...groups.keys()].sort();
        return Promise.all(keys.map((key) => call(n.reducer, { key, values: groups.get(key)! })));
      }
      case 'window': {
        const outputs: Value[] = [];
        for (const window of windowsOf(asArray(value, 'window'), n.size)) outputs.push(await call(n.fn, window));
        return outputs;
      }
      case 'firstOf': {
        const done: Value[] = [];
        await Promise.all(n.branches.map(async (b) => { const out = await run(b, value); if (done.length < n.k) done.push(out); }));
        return done;
      }
      case 'fold': {
        if (!isRecord(value) || !Array.isArray(value['items'])) throw new Error('fold: input must be { items: [...], state }');
        let state = value['state'] ?? null;
        const items = value['items'] as Value[];
        for (let index = 0; index < items.length; index++) state = await call(n.fn, { state, item: items[index]!, index });
        return state;
      }
    }
  };
  return run(node, input);
}

function asArray(value: Value, kind: string): readonly Value[] {
  if (!Array.isArray(value)) throw new Error(`${kind}: input must be an array`);
  return value;
}
