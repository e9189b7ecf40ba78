/**
 * `sebsflow:DIR?mapping=FILE`: a SeBS-Flow workflow (`DIR/definition.json`, the
 * platform-neutral format of SeBS-Flow, spcl/serverless-benchmarks) as a Baton
 * workload. The mapping file names the functions module and the input:
 * `{ "functions": MODULE, "input": ... }` (default: `DIR/mapping.json`).
 *
 * States: `task` -> task; `repeat` -> a sequence of `count` tasks; `switch` -> choice
 * (arms joined where they meet again); `parallel` -> parallel of sub-workflows, whose
 * outputs a glue function names by each branch's root, as SeBS-Flow hands them on; `map`
 * and `loop` (a sequential map) run over the field `array` of the input; a map writes
 * its outputs back into that field (what SeBS-Flow's generators do with ItemsPath and
 * ResultPath), a loop drops them and passes its input on, as SeBS-Flow runs it. Baton's map has no field selection, so the importer adds three glue
 * functions around such a map: `sebsflow_get_F` (the field), `sebsflow_keep` (the input,
 * in parallel) and `sebsflow_put_F` (the outputs back into the field); they run as
 * functions on every platform and show in traces. A task's `failure` edge is a try:
 * its body is the task and the states after it until the failure path rejoins them (or
 * the end), and any error runs the failure path on `{ error, cause, input }` (the try's
 * input) instead. Refused, naming state and field: map `common_params`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError } from '../model/errors.ts';
import { oracleVerify, readJson } from './common.ts';
import type { Condition, Value, WorkflowNode, Workload } from '../model/index.ts';
import { writeFileAtomic } from '../results/io.ts';

type State = Record<string, unknown>;
interface Definition {
  readonly root: string;
  readonly states: Record<string, State>;
}

const OPS: Readonly<Record<string, Condition['op']>> = { '<': 'lt', '<=': 'le', '==': 'eq', '>=': 'ge', '>': 'gt', '!=': 'ne' };
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  task: ['type', 'func_name', 'next', 'failure'],
  repeat: ['type', 'func_name', 'count', 'next'],
  switch: ['type', 'cases', 'default'],
  map: ['type', 'root', 'array', 'states', 'next', 'common_params'],
  loop: ['type', 'func_name', 'array', 'next'],
  parallel: ['type', 'parallel_functions', 'next'],
};
const GLUE_DIR = new URL('../../node_modules/.cache/baton/sebsflow/', import.meta.url);

/** The longest `repeat` the importer unrolls. */
const MAX_REPEAT = 10_000;

export function importSebsFlow(reference: string): Workload {
  const [dir, query] = reference.split('?') as [string, string | undefined];
  const file = join(dir, 'definition.json');
  const definition = readJson(file) as Definition;
  if (typeof definition !== 'object' || definition === null || typeof definition.root !== 'string' || typeof definition.states !== 'object') {
    throw new InputError('E_BAD_INPUT', `${file}: expected { "root": STATE, "states": { ... } }`);
  }
  const mappingFile = new URLSearchParams(query ?? '').get('mapping') ?? join(dir, 'mapping.json');
  if (!existsSync(mappingFile))
    throw new InputError(
      'E_BAD_INPUT',
      `${file}: needs a mapping file ${mappingFile}: { "functions": "./module.ts", "input": <JSON> } (or sebsflow:DIR?mapping=FILE)`,
    );
  const mapping = readJson(mappingFile) as { functions?: unknown; input?: unknown };
  if (typeof mapping.functions !== 'string') throw new InputError('E_BAD_INPUT', `${mappingFile}: functions: expected the path of a functions module`);
  const fields = new Set<string>();
  const converter = new Converter(file, fields);
  const graph = converter.chain(definition.states, definition.root);
  const userUrl = pathToFileURL(resolve(dirname(mappingFile), mapping.functions)).href;
  const functionsUrl = fields.size === 0 && converter.namings.size === 0 ? userUrl : glueModule(userUrl, fields, converter.namings);
  const input = (mapping.input ?? null) as Value;
  return {
    // The mapping is part of the workload's identity: the same definition with another input is another cell.
    name: `sebsflow:${reference}`,
    description: `SeBS-Flow workflow imported from ${file}`,
    params: {},
    functionsUrl,
    graph: () => graph,
    input: () => input,
    verify: oracleVerify(graph, input, functionsUrl),
  };
}

/** `astros.people` -> `astros_people`: a function-name-safe form of a field path. */
export function glueName(field: string): string {
  return field.replace(/[^A-Za-z0-9]/g, '_');
}

class Converter {
  private readonly file: string;
  private readonly fields: Set<string>;
  /** Glue that names a parallel's outputs by their branches' roots -> those roots. */
  readonly namings = new Map<string, readonly string[]>();

  constructor(file: string, fields: Set<string>) {
    this.file = file;
    this.fields = fields;
  }

  /**
   * The states from `start` until `stop` (exclusive) or the end, as one node. `guarded`:
   * the state whose failure edge the caller is already turning into a try.
   */
  chain(states: Record<string, State>, start: string, stop?: string, guarded?: string): WorkflowNode {
    const steps: WorkflowNode[] = [];
    const seen = new Set<string>();
    for (let name: string | undefined = start; name !== undefined && name !== stop; ) {
      const state = states[name];
      if (!state) return this.refuse(name, 'no such state');
      if (seen.has(name)) return this.refuse(name, 'a cycle: the model has no loops over states');
      seen.add(name);
      const type = String(state['type']);
      const known = FIELDS[type];
      if (!known) return this.refuse(name, `type '${type}': expected one of ${Object.keys(FIELDS).join(', ')}`);
      const extra = Object.keys(state).filter((k) => !known.includes(k));
      if (extra.length > 0) this.refuse(name, `unknown field ${extra.join(', ')}`);
      const failure = state['failure'];
      if (failure !== undefined && name !== guarded) {
        if (typeof failure !== 'string' || !states[failure]) this.refuse(name, `failure: expected the name of a state, got ${JSON.stringify(failure)}`);
        // Where the failure path and the normal path meet again: the try ends there.
        const join = this.joinOf(states, [name, failure as string]);
        const body = this.chain(states, name, join ?? stop, name);
        const handler = this.chain(states, failure as string, join ?? stop);
        steps.push({ kind: 'try', body, catch: [{ errors: ['*'], then: handler }] });
        name = join;
        continue;
      }
      if (state['common_params'] !== undefined) this.refuse(name, 'common_params: not supported by the importer');
      switch (type) {
        case 'task':
          steps.push({ kind: 'task', fn: this.funcName(name, state) });
          break;
        case 'repeat': {
          const count = state['count'];
          // Unrolled into a chain of tasks: a count past this would build a graph the machine cannot hold.
          if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_REPEAT) {
            this.refuse(name, `count ${String(count)}: expected a whole number from 1 to ${MAX_REPEAT}`);
          }
          for (let i = 0; i < (count as number); i++) steps.push({ kind: 'task', fn: this.funcName(name, state) });
          break;
        }
        case 'map': {
          const sub = state['states'] as Record<string, State> | undefined;
          if (typeof sub !== 'object' || typeof state['root'] !== 'string') this.refuse(name, 'expected root and states');
          steps.push(this.overField(name, state, this.chain(sub!, state['root'] as string)));
          break;
        }
        case 'loop':
          steps.push(this.overField(name, state, { kind: 'task', fn: this.funcName(name, state) }, 1, true));
          break;
        case 'parallel': {
          const branches = state['parallel_functions'];
          if (!Array.isArray(branches) || branches.length === 0) this.refuse(name, 'parallel_functions: expected a list of { root, states }');
          // SeBS-Flow hands on `{ [branch root]: output }`; the model's parallel, an array: glue names the outputs.
          const roots = (branches as Definition[]).map((b) => String(b.root));
          if (new Set(roots).size !== roots.length) this.refuse(name, `parallel_functions: two branches start at the same state (${roots.join(', ')})`);
          const naming = `sebsflow_name_${createHash('sha256').update(JSON.stringify(roots)).digest('hex').slice(0, 12)}`;
          this.namings.set(naming, roots);
          steps.push({
            kind: 'sequence',
            steps: [
              { kind: 'parallel', branches: (branches as Definition[]).map((b) => this.chain(b.states, b.root)) },
              { kind: 'task', fn: naming },
            ],
          });
          break;
        }
        case 'switch': {
          const cases = state['cases'];
          if (!Array.isArray(cases)) this.refuse(name, 'cases: expected a list of { var, op, val, next }');
          const join = this.joinOf(states, [...(cases as State[]).map((c) => String(c['next'])), ...(state['default'] ? [String(state['default'])] : [])]);
          const arms = (cases as State[]).map((c) => ({ when: this.condition(name!, c), then: this.chain(states, String(c['next']), join) }));
          const otherwise = state['default'] ? this.chain(states, String(state['default']), join) : undefined;
          steps.push({ kind: 'choice', cases: arms, ...(otherwise ? { otherwise } : {}) });
          name = join;
          continue;
        }
      }
      name = state['next'] as string | undefined;
    }
    if (steps.length === 0) return this.refuse(start, 'a branch with no function does nothing Baton can run');
    return steps.length === 1 ? steps[0]! : { kind: 'sequence', steps };
  }

  /**
   * A map over the field `array` whose outputs replace that field (with the glue functions);
   * for a loop (`discard`), one element at a time, and the input passes on unchanged, as
   * SeBS-Flow runs a loop for its effects and drops what the function returns.
   */
  private overField(name: string, state: State, body: WorkflowNode, maxConcurrency?: number, discard = false): WorkflowNode {
    const field = state['array'];
    if (typeof field !== 'string' || !/^\w+(\.\w+)*$/.test(field)) return this.refuse(name, 'array: expected a dot path of the input (e.g. "segments")');
    this.fields.add(field);
    const map: WorkflowNode = { kind: 'map', body, ...(maxConcurrency ? { maxConcurrency } : {}) };
    return {
      kind: 'sequence',
      steps: [
        {
          kind: 'parallel',
          branches: [
            { kind: 'sequence', steps: [{ kind: 'task', fn: `sebsflow_get_${glueName(field)}` }, map] },
            { kind: 'task', fn: 'sebsflow_keep' },
          ],
        },
        { kind: 'task', fn: discard ? 'sebsflow_kept' : `sebsflow_put_${glueName(field)}` },
      ],
    };
  }

  private funcName(name: string, state: State): string {
    const fn = state['func_name'];
    if (typeof fn !== 'string' || fn === '') return this.refuse(name, 'func_name: expected the name of a function');
    return fn;
  }

  private condition(name: string, c: State): Condition {
    const op = OPS[String(c['op'])];
    if (typeof c['var'] !== 'string' || !op || !['string', 'number', 'boolean'].includes(typeof c['val'])) {
      return this.refuse(
        name,
        `case ${JSON.stringify(c)}: expected { var: PATH, op: one of ${Object.keys(OPS).join(' ')}, val: a string, number or boolean, next }`,
      );
    }
    return { field: c['var'], op, value: c['val'] as string | number | boolean };
  }

  /** Where the arms of a switch meet again: the first state every arm reaches. */
  private joinOf(states: Record<string, State>, starts: readonly string[]): string | undefined {
    const reach = (start: string): string[] => {
      const seen: string[] = [];
      for (let s: string | undefined = start; s !== undefined && !seen.includes(s); ) {
        seen.push(s);
        s = states[s]?.['next'] as string | undefined;
      }
      return seen;
    };
    const arms = starts.map(reach);
    return arms[0]?.find((s) => arms.every((arm) => arm.includes(s)));
  }

  private refuse(state: string, why: string): never {
    throw new InputError('E_BAD_INPUT', `${this.file}: state '${state}': ${why}`);
  }
}

/**
 * A functions module (written once per content, under node_modules/.cache) that
 * imports the user's by absolute path (esbuild, bundling it for Lambda, takes no file: URLs) and re-exports the user's functions and adds the glue for maps over fields.
 */
function glueModule(userUrl: string, fields: ReadonlySet<string>, namings: ReadonlyMap<string, readonly string[]>): string {
  const glue = [
    ...[...fields].map((field) => {
      const path = JSON.stringify(field.split('.'));
      return `  sebsflow_get_${glueName(field)}: (input) => itemsAt(input, ${path}),\n  sebsflow_put_${glueName(field)}: ([outputs, input]) => withField(input, ${path}, outputs),`;
    }),
    ...[...namings].map(([fn, roots]) => `  ${fn}: (outputs) => ({ ${roots.map((root, i) => `${JSON.stringify(root)}: outputs[${i}]`).join(', ')} }),`),
  ].join('\n');
  const source = `// Generated by Baton's SeBS-Flow importer: the user's functions and the glue for maps over fields.
import { functions as user } from ${JSON.stringify(fileURLToPath(userUrl))};

function itemsAt(input, path) {
  let value = input;
  for (const key of path) value = value !== null && typeof value === 'object' ? value[key] : undefined;
  if (!Array.isArray(value)) throw new Error(\`sebsflow map: input field '\${path.join('.')}' is not an array\`);
  return value;
}

function withField(input, path, value) {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  return { ...input, [key]: withField(input?.[key] ?? {}, rest, value) };
}

export const functions = {
  ...user,
  sebsflow_keep: (input) => input,
  sebsflow_kept: ([, input]) => input,
${glue}
};
`;
  const file = join(GLUE_DIR.pathname, `${createHash('sha256').update(source).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) writeFileAtomic(file, source);
  return pathToFileURL(file).href;
}
