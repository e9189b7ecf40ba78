/**
 * Baton's model -> the reference runtime's buckets and triggers.
 *
 * Each node is compiled against an input bucket and the buckets its output goes to;
 * an object entering the input bucket under scope S comes out under scope S.
 */
import type { AppSpec, TriggerSpec } from '../../reference-runtime/src/index.ts';
import { UnsupportedError } from '../../harness/model/errors.ts';
import type { WorkflowDefinition, WorkflowNode } from '../../harness/model/index.ts';
import { referenceCapabilities } from './capabilities.ts';

export function compile(workflow: WorkflowDefinition, appName: string): AppSpec {
  const buckets: string[] = ['input', 'output'];
  const triggers: TriggerSpec[] = [];
  const bucket = (label: string): string => {
    const name = `b${buckets.length}.${label}`;
    buckets.push(name);
    return name;
  };

  const emit = (node: WorkflowNode, from: string, to: readonly string[]): void => {
    switch (node.kind) {
      case 'task':
        triggers.push({ primitive: 'immediate', bucket: from, action: { kind: 'call', fn: node.fn, to } });
        return;
      case 'sequence': {
        let current = from;
        node.steps.forEach((step, i) => {
          const next = i === node.steps.length - 1 ? to : [bucket(`seq.${i}`)];
          emit(step, current, next);
          current = next[0]!;
        });
        return;
      }
      case 'parallel': {
        const join = bucket('parallel.join');
        const heads = node.branches.map((branch, i) => {
          const head = bucket(`parallel.branch${i}`);
          emit(branch, head, [join]);
          return head;
        });
        triggers.push({ primitive: 'immediate', bucket: from, action: { kind: 'fork', to: heads } });
        triggers.push({ primitive: 'bySet', bucket: join, set: heads.map((_, i) => String(i)), action: { kind: 'gather', to } });
        return;
      }
      case 'map': {
        const item = bucket('map.item');
        const join = bucket('map.join');
        triggers.push({ primitive: 'immediate', bucket: from, action: { kind: 'split', to: item, join } });
        emit(node.body, item, [join]);
        triggers.push({ primitive: 'dynamicJoin', bucket: join, action: { kind: 'gather', to } });
        return;
      }
      default: {
        const capability = referenceCapabilities[node.kind];
        throw new UnsupportedError(`reference runtime: ${node.kind}: ${capability.support === 'unsupported' ? capability.reason : 'not compiled'}`);
      }
    }
  };

  emit(workflow.graph, 'input', ['output']);
  return { name: appName, functionsUrl: workflow.functionsUrl, buckets, triggers, entry: 'input', result: 'output' };
}
