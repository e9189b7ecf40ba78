/**
 * Baton's model -> the reference runtime's buckets and triggers. Every node kind maps
 * to a trigger primitive (Pheromone, Table 1):
 *
 *   task, sequence -> Immediate        parallel -> fork + BySet       map -> split + DynamicJoin
 *   choice -> label + ByName           dag -> BySet per task          shuffle -> DynamicGroup
 *   window -> ByBatchSize / ByTime     firstOf -> fork + Redundant    fold -> an Immediate chain
 *
 * Each node is compiled against an input bucket and the targets its output goes to;
 * an object entering the input bucket under scope S leaves under scope S.
 */
import { UnsupportedError } from '../../harness/model/errors.ts';
import type { AppSpec, Target, TriggerSpec } from '../../reference-runtime/src/index.ts';
import type { WorkflowDefinition, WorkflowNode } from '../../harness/model/index.ts';
import { dagSinks } from '../../harness/model/dag.ts';

/**
 * The workflow as the apps the runtime registers: the workflow's own (last) and, before it,
 * one per try body and catch handler (a try runs them as sub-sessions).
 */
export function compileApps(workflow: WorkflowDefinition, appName: string): AppSpec[] {
  const parts: AppSpec[] = [];
  const main = compile(workflow, appName, parts);
  return [...parts, main];
}

export function compile(workflow: WorkflowDefinition, appName: string, parts: AppSpec[] = []): AppSpec {
  const buckets: string[] = ['input', 'output'];
  const triggers: TriggerSpec[] = [];
  const bucket = (label: string): string => {
    const name = `b${buckets.length}.${label}`;
    buckets.push(name);
    return name;
  };
  const joinOf = (name: string): Target => ({ bucket: name, pop: true });

  const emit = (node: WorkflowNode, from: string, to: readonly Target[]): void => {
    switch (node.kind) {
      case 'task':
        triggers.push({ primitive: 'immediate', bucket: from, action: { kind: 'call', fn: node.fn, to } });
        return;
      case 'sequence': {
        let current = from;
        node.steps.forEach((step, i) => {
          const next = i === node.steps.length - 1 ? undefined : bucket(`seq.${i}`);
          emit(step, current, next ? [next] : to);
          if (next) current = next;
        });
        return;
      }
      case 'parallel':
      case 'firstOf': {
        const join = bucket(`${node.kind}.join`);
        const heads = node.branches.map((branch, i) => {
          const head = bucket(`${node.kind}.branch${i}`);
          emit(branch, head, [joinOf(join)]);
          return head;
        });
        triggers.push({ primitive: 'immediate', bucket: from, action: { kind: 'fork', to: heads } });
        triggers.push(
          node.kind === 'parallel'
            ? { primitive: 'bySet', bucket: join, set: heads.map((_, i) => String(i)), action: { kind: 'gather', to } }
            : { primitive: 'redundant', bucket: join, k: node.k, action: { kind: 'gather', to } },
        );
        return;
      }
      case 'map': {
        const item = bucket('map.item');
        const join = bucket('map.join');
        triggers.push({ primitive: 'immediate', bucket: from, action: { kind: 'split', to: item, join } });
        emit(node.body, item, [joinOf(join)]);
        triggers.push({ primitive: 'dynamicJoin', bucket: join, action: { kind: 'gather', to } });
        return;
      }
      case 'choice': {
        const routed = bucket('choice.routed');
        const arms = [
          ...node.cases.map((c, i) => ({ name: `case${i}`, then: c.then })),
          ...(node.otherwise ? [{ name: 'otherwise', then: node.otherwise }] : []),
        ];
        triggers.push({
          primitive: 'immediate',
          bucket: from,
          action: {
            kind: 'label',
            cases: node.cases.map((c, i) => ({ when: c.when, name: `case${i}` })),
            ...(node.otherwise ? { otherwise: 'otherwise' } : {}),
            to: [routed],
          },
        });
        for (const arm of arms) {
          const head = bucket(`choice.${arm.name}`);
          triggers.push({ primitive: 'byName', bucket: routed, name: arm.name, action: { kind: 'forward', to: [head] } });
          emit(arm.then, head, to);
        }
        return;
      }
      case 'dag': {
        const inputs = new Map(node.tasks.map((t) => [t.id, bucket(`dag.${t.id}.in`)]));
        const out = bucket('dag.out');
        const sinks = dagSinks(node.tasks);
        const roots = node.tasks.filter((t) => t.after.length === 0);
        triggers.push({
          primitive: 'immediate',
          bucket: from,
          action: { kind: 'forward', to: roots.map((t) => ({ bucket: inputs.get(t.id)!, name: '$input' })) },
        });
        for (const task of node.tasks) {
          const call = bucket(`dag.${task.id}.call`);
          const children = node.tasks.filter((t) => t.after.includes(task.id)).map((t) => ({ bucket: inputs.get(t.id)!, name: task.id }));
          const targets = sinks.includes(task.id) ? [...children, { bucket: out, name: task.id }] : children;
          triggers.push({
            primitive: 'bySet',
            bucket: inputs.get(task.id)!,
            set: task.after.length > 0 ? task.after : ['$input'],
            action: { kind: 'gather', shape: 'record', wrap: { field: 'inputs', with: { id: task.id, args: task.args ?? null } }, to: [call] },
          });
          triggers.push({ primitive: 'immediate', bucket: call, action: { kind: 'call', fn: task.fn, to: targets } });
        }
        triggers.push({ primitive: 'bySet', bucket: out, set: sinks, action: { kind: 'gather', shape: 'record', to } });
        return;
      }
      case 'shuffle': {
        const part = bucket('shuffle.part');
        const groups = bucket('shuffle.groups');
        const join = bucket('shuffle.join');
        triggers.push({ primitive: 'immediate', bucket: from, action: { kind: 'split', to: part, join: groups } });
        triggers.push({ primitive: 'immediate', bucket: part, action: { kind: 'call', fn: node.mapper, to: [joinOf(groups)] } });
        triggers.push({ primitive: 'dynamicGroup', bucket: groups, join, action: { kind: 'call', fn: node.reducer, to: [joinOf(join)] } });
        triggers.push({ primitive: 'dynamicJoin', bucket: join, action: { kind: 'gather', to } });
        return;
      }
      case 'window': {
        const events = bucket('window.events');
        const join = bucket('window.join');
        const action = { kind: 'call', fn: node.fn, to: [joinOf(join)] } as const;
        triggers.push({ primitive: 'immediate', bucket: from, action: { kind: 'split', to: joinOf(events), join: events } });
        triggers.push(
          'count' in node.size
            ? { primitive: 'byBatchSize', bucket: events, size: node.size.count, join, action }
            : { primitive: 'byTime', bucket: events, windowMs: node.size.durationMs, timeField: node.size.timeField, join, action },
        );
        triggers.push({ primitive: 'dynamicJoin', bucket: join, action: { kind: 'gather', to } });
        return;
      }
      case 'foreign':
        throw new UnsupportedError("reference: a workflow in another platform's own format runs on that platform only");
      case 'try': {
        // The body and each handler as apps of their own, run by the try action as sub-sessions.
        const part = (graph: WorkflowNode, label: string): string => {
          const name = `${appName}/${label}${parts.length}`;
          parts.push(compile({ ...workflow, graph }, name, parts));
          return name;
        };
        const body = part(node.body, 'try');
        const catches = (node.catch ?? []).map((c) => ({ errors: c.errors, app: part(c.then, 'catch') }));
        triggers.push({ primitive: 'immediate', bucket: from, action: { kind: 'try', body, ...(node.retry ? { retry: node.retry } : {}), catches, to } });
        return;
      }
      case 'fold':
        triggers.push({ primitive: 'immediate', bucket: from, action: { kind: 'iterate', fn: node.fn, to } });
        return;
    }
  };

  emit(workflow.graph, 'input', ['output']);
  return { name: appName, functionsUrl: workflow.functionsUrl, buckets, triggers, entry: 'input', result: 'output' };
}
