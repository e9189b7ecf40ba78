/**
 * One small workflow per node kind, with its input. Expected outputs come from the
 * oracle (harness/semantics/evaluate.ts).
 */
import type { NodeKind, Value, WorkflowNode } from '../model/index.ts';

export const PROBE_FUNCTIONS_URL = new URL('./probe-functions.ts', import.meta.url).href;

const task = (fn: string): WorkflowNode => ({ kind: 'task', fn });

/** A probe's output is the oracle's, except where the oracle cannot run it (`foreign`): then `expected`, worked by hand. */
export const PROBES: Readonly<Record<NodeKind, { readonly graph: WorkflowNode; readonly input: Value; readonly expected?: Value }>> = {
  task: { graph: task('inc'), input: 1 },
  sequence: { graph: { kind: 'sequence', steps: [task('inc'), task('double'), task('inc')] }, input: 3 },
  parallel: {
    graph: { kind: 'parallel', branches: [task('inc'), task('double'), { kind: 'sequence', steps: [task('double'), task('double')] }] },
    input: 5,
  },
  map: {
    graph: { kind: 'sequence', steps: [task('range'), { kind: 'map', body: { kind: 'sequence', steps: [task('inc'), task('double')] } }, task('sum')] },
    input: 4,
  },
  choice: {
    graph: { kind: 'choice', cases: [{ when: { field: '', op: 'gt', value: 10 }, then: task('double') }], otherwise: task('inc') },
    input: 12,
  },
  dag: {
    graph: {
      kind: 'dag',
      tasks: [
        { id: 'a', fn: 'dagNode', after: [], args: 1 },
        { id: 'b', fn: 'dagNode', after: ['a'], args: 10 },
        { id: 'c', fn: 'dagNode', after: ['a'], args: 100 },
        { id: 'd', fn: 'dagNode', after: ['b', 'c'] },
      ],
    },
    input: 1,
  },
  shuffle: { graph: { kind: 'shuffle', mapper: 'parity', reducer: 'total' }, input: [1, 2, 3, 4, 5, 6] },
  window: { graph: { kind: 'window', fn: 'windowSum', size: { count: 2 } }, input: [{ v: 1 }, { v: 2 }, { v: 3 }] },
  firstOf: { graph: { kind: 'firstOf', k: 1, branches: [task('inc'), task('inc'), task('inc')] }, input: 1 },
  fold: { graph: { kind: 'fold', fn: 'foldStep' }, input: { items: [1, 2, 3], state: 0 } },
  // One try that passes (20 is not too small), one that fails, is retried once, and is caught: [20, 5 + 100].
  try: {
    graph: {
      kind: 'parallel',
      branches: [
        { kind: 'sequence', steps: [task('double'), task('double'), { kind: 'try', body: task('atLeastTen'), catch: [{ errors: ['*'], then: task('inc') }] }] },
        {
          kind: 'try',
          body: task('atLeastTen'),
          retry: { errors: ['TooSmall'], maxAttempts: 2, intervalMs: 10, backoffRate: 2 },
          catch: [
            { errors: ['SomethingElse'], then: task('double') },
            { errors: ['TooSmall'], then: task('recover') },
          ],
        },
      ],
    },
    input: 5,
  },
  // Unum's self-invoking chain (the app store's chain benchmark), on inc: 1 + 3.
  foreign: {
    graph: {
      kind: 'foreign',
      format: 'unum-ir',
      functions: ['inc'],
      document: {
        configs: {
          'inc/unum_config.json': {
            Name: 'inc',
            Start: true,
            Next: { Name: 'inc', InputType: 'Scalar', Conditional: '$0 < $size-1' },
            'Next Payload Modifiers': ['$0=$0+1'],
            Checkpoint: true,
          },
        },
        fanout: { Type: 'Map', Index: 0, Size: 3 },
      },
    },
    input: 1,
    expected: 4,
  },
};

/** A workflow whose second function throws. */
export const FAILING_PROBE = { graph: { kind: 'sequence', steps: [task('inc'), task('fail')] } as WorkflowNode, input: 1 };

/**
 * Probes where node kinds nest, because that is where adapters go wrong (a walker that
 * handles a kind at the top but not inside a branch, parents lost across a join).
 */
export const NESTED_PROBES = {
  'choice in parallel': {
    graph: {
      kind: 'parallel',
      branches: [
        { kind: 'choice', cases: [{ when: { field: '', op: 'gt', value: 10 }, then: task('double') }], otherwise: task('inc') },
        { kind: 'sequence', steps: [task('inc'), task('double')] },
      ],
    },
    input: 12,
  },
  'map in map': {
    graph: {
      kind: 'sequence',
      steps: [
        task('range'),
        { kind: 'map', body: { kind: 'sequence', steps: [task('inc'), task('range'), { kind: 'map', body: task('double') }, task('sum')] } },
        task('sum'),
      ],
    },
    input: 3,
  },
  'fold after map': {
    graph: { kind: 'sequence', steps: [task('range'), { kind: 'map', body: task('inc') }, task('foldInput'), { kind: 'fold', fn: 'foldStep' }] },
    input: 3,
  },
  'dag in sequence': {
    graph: { kind: 'sequence', steps: [task('inc'), PROBES.dag.graph, task('values'), task('sum')] },
    input: 1,
  },
} as const satisfies Readonly<Record<string, { readonly graph: WorkflowNode; readonly input: Value }>>;

export type NestedProbe = keyof typeof NESTED_PROBES;
