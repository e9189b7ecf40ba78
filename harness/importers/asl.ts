/**
 * `asl:FILE`: a state machine someone else wrote, as a Baton workload. Its Task
 * resources map to Baton functions through a mapping file beside it
 * (`FILE.mapping.json`, or `asl:FILE?mapping=PATH`: `{ "functions": MODULE,
 * "resources": { RESOURCE: FUNCTION }, "default": FUNCTION?, "input": ... }`).
 *
 * The part of ASL that the model expresses is imported: Task (a function ARN, or
 * lambda:invoke with `Payload.$: "$"`), Parallel, Map over `$`, Choice on one field,
 * plain Pass and Succeed, and a Task's, Parallel's or Map's Retry (one retrier) and
 * Catch (without ResultPath) as a `try` node. `States.ALL` and `States.TaskFailed`
 * match any error a function throws. A catch handler gets the model's
 * `{ error, cause, input }`, not ASL's `{ Error, Cause }`. Anything else (data paths,
 * Wait, Fail, ...) is refused with the state and the field that the model cannot express.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../model/errors.ts';
import { oracleVerify, readJson } from './common.ts';
import type { Condition, Value, WorkflowNode, Workload } from '../model/index.ts';
import { aslProblems } from '../adapter-kit/asl-validate.ts';

type State = Record<string, unknown>;
interface Machine {
  StartAt: string;
  States: Record<string, State>;
}

const IGNORED_FIELDS = new Set(['Type', 'Next', 'End', 'Comment', 'Resource', 'Branches', 'Iterator', 'ItemProcessor', 'Choices', 'Default']);
/** Fields a Task, Parallel or Map state may carry: they become a try around it. */
const FAILURE_FIELDS = new Set(['Retry', 'Catch']);

/** `FILE` or `FILE?mapping=MAPPING` (default mapping: FILE.mapping.json beside it). */
export function importAsl(reference: string): Workload {
  const [file, query] = reference.split('?') as [string, string | undefined];
  const text = readJson(file);
  const problems = aslProblems(text);
  if (problems.length > 0) throw new InputError('E_BAD_INPUT', `${file}: not a valid state machine: ${problems.join('; ')}`);
  const mappingFile = new URLSearchParams(query ?? '').get('mapping') ?? `${file.replace(/(\.asl)?\.json$/, '')}.mapping.json`;
  if (!existsSync(mappingFile)) {
    throw new InputError(
      'E_BAD_INPUT',
      `${file}: needs a mapping file ${mappingFile}: { "functions": "./module.ts", "resources": { "<Resource or FunctionName>": "<function>" }, "input": <JSON> }`,
    );
  }
  const mapping = readJson(mappingFile) as { functions?: unknown; resources?: unknown; default?: unknown; input?: unknown };
  if (typeof mapping.functions !== 'string') throw new InputError('E_BAD_INPUT', `${mappingFile}: functions: expected the path of a functions module`);
  if (typeof mapping.resources !== 'object' || mapping.resources === null)
    throw new InputError('E_BAD_INPUT', `${mappingFile}: resources: expected { "<Resource>": "<function>" }`);
  const resources = mapping.resources as Record<string, string>;
  const fallback = typeof mapping.default === 'string' ? mapping.default : undefined;
  const graph = aslToGraph(text, file, (name, key) => resources[key] ?? resources[name] ?? fallback);
  const functionsUrl = pathToFileURL(resolve(dirname(mappingFile), mapping.functions)).href;
  const input = (mapping.input ?? null) as Value;
  return {
    // The mapping is part of the workload's identity: the same definition with another input is another cell.
    name: `asl:${reference}`,
    description: `state machine imported from ${file}`,
    params: {},
    functionsUrl,
    graph: () => graph,
    input: () => input,
    verify: oracleVerify(graph, input, functionsUrl),
  };
}

/**
 * The structure of a validated definition as a model graph. `functionOf(stateName,
 * resource)` names each Task's function (undefined: refused). With `structureOnly`,
 * data-flow fields and retry policies are ignored (what an IR compiler needs of the
 * shape, as Unum's compiler reads a definition); the graph then does not compute what
 * the state machine computes, and is not for running.
 */
export function aslToGraph(
  definition: unknown,
  file: string,
  functionOf: (stateName: string, resource: string) => string | undefined,
  options: { structureOnly?: boolean } = {},
): WorkflowNode {
  const ignored = options.structureOnly ? STRUCTURE_ONLY_IGNORED : new Set<string>();
  const resolve = (name: string, state: State): string | undefined => {
    const resource = String(state['Resource']);
    const key = resource.startsWith('arn:aws:states:::lambda:invoke') ? String((state['Parameters'] as State | undefined)?.['FunctionName'] ?? name) : resource;
    return functionOf(name, key);
  };
  return convert(definition as Machine, file, resolve, ignored);
}

/** Fields that shape data or retries, not the flow: ignored when only the structure is wanted. */
const STRUCTURE_ONLY_IGNORED = new Set(['Parameters', 'ResultPath', 'ResultSelector', 'InputPath', 'OutputPath', 'Retry', 'ItemsPath', 'MaxConcurrency']);

function convert(machine: Machine, file: string, resolve: (name: string, state: State) => string | undefined, ignored: ReadonlySet<string>): WorkflowNode {
  const refuse = (state: string, why: string): never => {
    throw new InputError('E_BAD_INPUT', `${file}: state '${state}': ${why}`);
  };
  /**
   * The states from `start` until `stop` (exclusive) or the end, as one node. `path`: the
   * states already on the way here (in this scope): reaching one again is a loop.
   */
  const chain = (states: Record<string, State>, start: string, stop?: string, path: ReadonlySet<string> = new Set()): WorkflowNode => {
    const steps: WorkflowNode[] = [];
    const onPath = new Set(path);
    for (let name: string | undefined = start; name !== undefined && name !== stop; ) {
      if (onPath.has(name)) {
        refuse(
          name,
          "the flow comes back to this state (a loop); Baton's model has no general loop (a fold runs one function over items in order), so the state machine is refused rather than unrolled",
        );
      }
      onPath.add(name);
      const state = states[name]!;
      const handles = ['Task', 'Parallel', 'Map'].includes(String(state['Type']));
      const extra = Object.keys(state).filter(
        (k) => !IGNORED_FIELDS.has(k) && !ignored.has(k) && !(k === 'Parameters' && isInvokeParameters(state)) && !(handles && FAILURE_FIELDS.has(k)),
      );
      if (extra.length > 0) refuse(name, `uses ${extra.join(', ')}, which Baton's model cannot express`);
      const stateName = name;
      const guarded = (node: WorkflowNode): WorkflowNode => (ignored.has('Retry') ? node : withFailureHandling(states, stateName, state, node, onPath));
      switch (state['Type']) {
        case 'Task':
          steps.push(guarded({ kind: 'task', fn: functionOf(name, state) }));
          break;
        case 'Parallel':
          steps.push(guarded({ kind: 'parallel', branches: (state['Branches'] as Machine[]).map((b) => chain(b.States, b.StartAt)) }));
          break;
        case 'Map': {
          const body = (state['ItemProcessor'] ?? state['Iterator']) as Machine;
          steps.push(guarded({ kind: 'map', body: chain(body.States, body.StartAt) }));
          break;
        }
        case 'Choice': {
          const here = name;
          const join = joinOf(states, state, here);
          const cases = (state['Choices'] as State[]).map((rule) => ({
            when: conditionOf(here, rule),
            then: chain(states, String(rule['Next']), join, onPath),
          }));
          const otherwise = state['Default'] ? chain(states, String(state['Default']), join, onPath) : undefined;
          steps.push({ kind: 'choice', cases, ...(otherwise ? { otherwise } : {}) });
          name = join;
          continue;
        }
        case 'Pass':
        case 'Succeed':
          break;
        default:
          refuse(name, `a ${String(state['Type'])} state has no counterpart in Baton's model`);
      }
      name = state['End'] === true || state['Type'] === 'Succeed' ? undefined : (state['Next'] as string | undefined);
    }
    if (steps.length === 0) return refuse(start, 'a branch with no Task does nothing Baton can run');
    return steps.length === 1 ? steps[0]! : { kind: 'sequence', steps };
  };

  /** A state's Retry and Catch as a try around its node; its catch handlers run until they rejoin the state's Next. */
  const withFailureHandling = (states: Record<string, State>, name: string, state: State, node: WorkflowNode, onPath: ReadonlySet<string>): WorkflowNode => {
    const retriers = (state['Retry'] ?? []) as State[];
    const catchers = (state['Catch'] ?? []) as State[];
    if (retriers.length === 0 && catchers.length === 0) return node;
    if (retriers.length > 1) refuse(name, `has ${retriers.length} retriers: the model's try has one retry policy`);
    const errors = (rule: State): string[] => {
      const names = (rule['ErrorEquals'] as string[]).map((e) => (e === 'States.ALL' || e === 'States.TaskFailed' ? '*' : e));
      const platformOnly = names.filter((e) => e.startsWith('States.'));
      if (platformOnly.length > 0) refuse(name, `${platformOnly.join(', ')}: errors of Step Functions itself, which no other platform raises`);
      return names;
    };
    const retrier = retriers[0];
    const next = state['End'] === true ? undefined : String(state['Next']);
    const handlers = catchers.map((rule) => {
      if (rule['ResultPath'] !== undefined) refuse(name, "a Catch with ResultPath: the model's catch handler gets { error, cause, input }");
      const start = String(rule['Next']);
      // A handler must come back to where the state goes next (or, for a last state, may end): the try's output flows on.
      const rejoins = next === undefined || reachable(states, start).includes(next);
      if (!rejoins) refuse(name, `its Catch goes to '${start}', which never reaches '${next}': the model's try continues where its body does`);
      return { errors: errors(rule), then: chain(states, start, next, onPath) };
    });
    return {
      kind: 'try',
      body: node,
      ...(retrier
        ? {
            retry: {
              errors: errors(retrier),
              maxAttempts: Number(retrier['MaxAttempts'] ?? 3) + 1,
              intervalMs: Number(retrier['IntervalSeconds'] ?? 1) * 1000,
              backoffRate: Number(retrier['BackoffRate'] ?? 2),
            },
          }
        : {}),
      ...(handlers.length > 0 ? { catch: handlers } : {}),
    };
  };

  const functionOf = (name: string, state: State): string => {
    const fn = resolve(name, state);
    if (!fn) return refuse(name, `resource '${String(state['Resource'])}' is not in the mapping file's resources`);
    return fn;
  };

  const conditionOf = (name: string, rule: State): Condition => {
    const ops: Record<string, Condition['op']> = { Equals: 'eq', LessThan: 'lt', LessThanEquals: 'le', GreaterThan: 'gt', GreaterThanEquals: 'ge' };
    const variable = rule['Variable'];
    const operator = Object.keys(rule).find((k) => /^(Numeric|String|Boolean)(Equals|LessThan|LessThanEquals|GreaterThan|GreaterThanEquals)$/.test(k));
    if (typeof variable !== 'string' || !operator || !/^\$(\.\w+)*$/.test(variable) || Object.keys(rule).length !== 3) {
      return refuse(name, `choice rule ${JSON.stringify(rule)}: only one comparison of one field (no And/Or/Not, paths, or wildcards) is in the model`);
    }
    const op = ops[operator.replace(/^(Numeric|String|Boolean)/, '')]!;
    return { field: variable.slice(2), op, value: rule[operator] as string | number | boolean };
  };

  return chain(machine.States, machine.StartAt);
}

function isInvokeParameters(state: State): boolean {
  const parameters = state['Parameters'] as State | undefined;
  return (
    String(state['Resource']).startsWith('arn:aws:states:::lambda:invoke') &&
    parameters !== undefined &&
    parameters['Payload.$'] === '$' &&
    Object.keys(parameters).every((k) => k === 'FunctionName' || k === 'Payload.$')
  );
}

/** The states reached from `start` by Next, in order, until an End or a state seen before. */
function reachable(states: Record<string, State>, start: string): string[] {
  const seen: string[] = [];
  for (let s: string | undefined = start; s !== undefined && !seen.includes(s) && states[s]; ) {
    seen.push(s);
    const st: State = states[s]!;
    s = st['End'] === true ? undefined : (st['Next'] as string | undefined);
  }
  return seen;
}

/** Where the arms of a choice meet again: the first state every arm reaches (undefined: they all end). */
function joinOf(states: Record<string, State>, choice: State, name: string): string | undefined {
  const reach = (start: string): string[] => {
    const seen: string[] = [];
    for (let s: string | undefined = start; s !== undefined && !seen.includes(s); ) {
      seen.push(s);
      const st: State = states[s]!;
      s = st['End'] === true ? undefined : (st['Next'] as string | undefined);
    }
    return seen;
  };
  const arms = [...(choice['Choices'] as State[]).map((r) => String(r['Next'])), ...(choice['Default'] ? [String(choice['Default'])] : [])].map(reach);
  const common = arms[0]!.find((s) => arms.every((arm) => arm.includes(s)));
  if (common === undefined && arms.some((arm) => arm.length === 0)) throw new InputError('E_BAD_INPUT', `state '${name}': a choice arm leads nowhere`);
  return common;
}
