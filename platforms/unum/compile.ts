/**
 * Baton's model -> Unum IR: task and sequence become Scalar edges; map becomes a Map
 * edge and a fan-in over `TAIL-unumIndex-*`; parallel becomes one entry per branch and
 * a fan-in over the branches' last functions. A join with nothing after it gets
 * Baton's `$collect` node. Other node kinds are not ported yet (capabilities.ts).
 */
import { unumCapabilities } from './capabilities.ts';
import { UnsupportedError } from '../../harness/model/errors.ts';
import type { WorkflowNode } from '../../harness/model/index.ts';
import { dagSinks } from '../../harness/model/dag.ts';
import type { Comparison, NextEntry, UnumConfig, UnumIR } from './ir.ts';
import { fromHandwritten } from './handwritten.ts';

const OPS = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/** A `When` as Unum's Conditional string. */
function spell(when: { all: readonly Comparison[]; none: readonly Comparison[] }): string {
  const one = (c: Comparison) => `$ret${c.field ? `.${c.field}` : ''} ${OPS[c.op]} ${JSON.stringify(c.value)}`;
  const parts = [...when.all.map(one), ...when.none.map((c) => `!(${one(c)})`)];
  return parts.length > 0 ? parts.join(' && ') : 'true';
}

/** Where a node's output goes: the end, a function (Scalar), or a fan-in. */
type Continuation = { readonly kind: 'end' } | { readonly kind: 'scalar'; readonly name: string } | { readonly kind: 'fanin'; readonly name: string };

export interface CompileOptions {
  /**
   * Checkpoints where no fan-in needs one (Unum's template `Globals.Checkpoint`): false is
   * Unum's at-least-once mode. A function whose next is a fan-in always checkpoints.
   */
  readonly checkpoint?: boolean;
}

export function compileUnum(graph: WorkflowNode, options: CompileOptions = {}): UnumIR {
  // Unum's IR written by hand runs as it is, by Unum's own rules.
  if (graph.kind === 'foreign') return fromHandwritten(graph);
  const configs: Record<string, UnumConfig & { Next?: NextEntry[] }> = {};
  let counter = 0;
  const fresh = (fn: string): string => `${fn.replace(/[^A-Za-z0-9_$]/g, '_')}-${++counter}`;
  /** Fan-ins wait for their Values, known only once the branches are compiled. */
  const faninValues = new Map<string, string[]>();

  const nextOf = (continuation: Continuation, own: string): NextEntry[] | undefined => {
    if (continuation.kind === 'end') return undefined;
    if (continuation.kind === 'scalar') return [{ Name: continuation.name, InputType: 'Scalar' }];
    faninValues.get(continuation.name)!.push(`${own}-unumIndex-*`);
    return [{ Name: continuation.name, InputType: { 'Fan-in': { Values: faninValues.get(continuation.name)! } } }];
  };

  /** Compiles `node`; returns the name of the IR node that takes its input. */
  const emit = (node: WorkflowNode, continuation: Continuation): string => {
    switch (node.kind) {
      case 'task': {
        const name = fresh(node.fn);
        const next = nextOf(continuation, name);
        configs[name] = { Name: name, Checkpoint: true, Function: node.fn, ...(next ? { Next: next } : {}) };
        return name;
      }
      case 'sequence': {
        let after = continuation;
        let head = '';
        for (const step of [...node.steps].reverse()) {
          head = emit(step, after);
          after = { kind: 'scalar', name: head };
        }
        return head;
      }
      case 'map':
      case 'parallel': {
        const join = continuation.kind === 'scalar' ? continuation.name : collector(continuation);
        faninValues.set(join, []);
        const into: Continuation = { kind: 'fanin', name: join };
        if (node.kind === 'map') {
          const body = emit(node.body, into);
          return entry([{ Name: body, InputType: 'Map' }]);
        }
        const heads = node.branches.map((branch) => emit(branch, into));
        return entry(heads.map((head) => ({ Name: head, InputType: 'Scalar' })));
      }
      case 'choice': {
        if (continuation.kind === 'fanin') throw new UnsupportedError('unum: a choice inside a parallel or map branch is not ported yet');
        const arms = [
          ...node.cases.map((c) => ({ when: c.when as Comparison | undefined, then: c.then })),
          ...(node.otherwise ? [{ when: undefined, then: node.otherwise }] : []),
        ];
        const earlier: Comparison[] = [];
        const next: NextEntry[] = arms.map((arm) => {
          const head = emit(arm.then, continuation);
          const when = { all: arm.when ? [arm.when] : [], none: [...earlier] };
          if (arm.when) earlier.push(arm.when);
          return { Name: head, InputType: 'Scalar' as const, Conditional: spell(when), When: when };
        });
        return entry(next);
      }
      case 'dag': {
        // One node per task; every task with parents (and the output) fans in its parents by name.
        const names = new Map(node.tasks.map((t) => [t.id, fresh(t.fn)]));
        const out = collector(continuation);
        const sinks = new Set(dagSinks(node.tasks));
        for (const task of node.tasks) {
          const children = node.tasks.filter((t) => t.after.includes(task.id));
          const next: NextEntry[] = children.map((child) => ({
            Name: names.get(child.id)!,
            InputType: { 'Fan-in': { Values: child.after.map((p) => names.get(p)!) } },
          }));
          if (sinks.has(task.id)) next.push({ Name: out, InputType: { 'Fan-in': { Values: [...sinks].map((id) => names.get(id)!) } } });
          configs[names.get(task.id)!] = {
            Name: names.get(task.id)!,
            Checkpoint: true,
            Function: task.fn,
            Dag: { id: task.id, args: task.args ?? null, root: task.after.length === 0 },
            Next: next,
          };
        }
        return entry(
          node.tasks.filter((t) => t.after.length === 0).map((t) => ({ Name: names.get(t.id)!, InputType: 'Scalar' as const, Keep: true as const })),
        );
      }
      case 'shuffle': {
        // Workaround: mappers (Map) fan in to Baton's $group, which fans out (Map) to the reducers; the
        // mapper outputs wait in their checkpoints (the store), as Unum's fan-in reads them.
        const join = continuation.kind === 'scalar' ? continuation.name : collector(continuation);
        faninValues.set(join, []);
        const reducer = emit({ kind: 'task', fn: node.reducer }, { kind: 'fanin', name: join });
        const group = fresh('$group');
        configs[group] = { Name: group, Checkpoint: true, Function: '$group', Next: [{ Name: reducer, InputType: 'Map' }] };
        faninValues.set(group, []);
        const mapper = emit({ kind: 'task', fn: node.mapper }, { kind: 'fanin', name: group });
        return entry([{ Name: mapper, InputType: 'Map' }]);
      }
      case 'window': {
        // Workaround: Baton's $window cuts the input events into windows and fans out (Map) to
        // the function; its outputs fan in to what comes next, as a map's would.
        const join = continuation.kind === 'scalar' ? continuation.name : collector(continuation);
        faninValues.set(join, []);
        const body = emit({ kind: 'task', fn: node.fn }, { kind: 'fanin', name: join });
        const cut = fresh('$window');
        configs[cut] = { Name: cut, Checkpoint: true, Function: '$window', Window: node.size, Next: [{ Name: body, InputType: 'Map' }] };
        return cut;
      }
      case 'firstOf': {
        // Workaround: every branch runs to the end and fans in; Baton's $first keeps the first k in branch order.
        const keep = fresh('$first');
        const after = nextOf(continuation, keep);
        configs[keep] = { Name: keep, Checkpoint: true, Function: '$first', K: node.k, ...(after ? { Next: after } : {}) };
        faninValues.set(keep, []);
        const heads = node.branches.map((branch) => emit(branch, { kind: 'fanin', name: keep }));
        return entry(heads.map((head) => ({ Name: head, InputType: 'Scalar' })));
      }
      case 'foreign':
        throw new UnsupportedError('unum: IR written by hand is a whole workflow, not a step of one');
      case 'try':
        throw new UnsupportedError(unumCapabilities.try.support === 'unsupported' ? unumCapabilities.try.reason : 'try');
      case 'fold': {
        const name = fresh(node.fn);
        const after = nextOf(continuation, name);
        configs[name] = { Name: name, Checkpoint: true, Function: node.fn, Loop: true, ...(after ? { Next: after } : {}) };
        return name;
      }
    }
  };

  /** A `$collect` node: takes the fan-in's array and passes it on. */
  const collector = (continuation: Continuation): string => {
    const name = fresh('$collect');
    const next = nextOf(continuation, name);
    configs[name] = { Name: name, Checkpoint: true, Function: '$collect', ...(next ? { Next: next } : {}) };
    return name;
  };

  /** A fan-out needs a function to fan out from: Baton's `$spread` passes its input on. */
  const entry = (next: NextEntry[]): string => {
    const name = fresh('$spread');
    configs[name] = { Name: name, Checkpoint: true, Function: '$spread', Next: next };
    return name;
  };

  const start = emit(graph, { kind: 'end' });
  configs[start] = { ...configs[start]!, Start: true };
  inlineSpreads(configs);
  if (options.checkpoint === false) {
    for (const [name, config] of Object.entries(configs)) {
      if (!config.Next?.some((n) => typeof n.InputType === 'object')) configs[name] = { ...config, Checkpoint: false };
    }
  }
  return { start, configs };
}

/** A function whose only next is a `$spread` fans out itself, as Unum writes it (one hop less). */
function inlineSpreads(configs: Record<string, UnumConfig>): void {
  for (const config of Object.values(configs)) {
    const only = config.Next?.length === 1 ? config.Next[0]! : undefined;
    const spread = only && only.InputType === 'Scalar' ? configs[only.Name] : undefined;
    if (spread?.Function !== '$spread' || spread.Start) continue;
    configs[config.Name] = { ...config, Next: spread.Next! };
    delete configs[spread.Name];
  }
}
