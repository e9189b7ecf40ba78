/**
 * Baton's model -> Amazon States Language. Native where ASL has the construct (Task,
 * Parallel, Map, Choice), otherwise what a Step Functions developer would write
 * (capabilities.ts says which). Every definition it returns passes asl-validator.
 */
import { UnsupportedError } from '../../harness/model/errors.ts';
import type { Condition, WorkflowNode } from '../../harness/model/index.ts';
import { dagSinks, topologicalOrder } from '../../harness/model/dag.ts';
import { ENVELOPE, PLAIN, fieldPath, itemShape, joinShapes, type Shape } from './shapes.ts';
import { aslProblems } from '../../harness/adapter-kit/asl-validate.ts';
import { CAUGHT_MARK } from './caught.ts';

export type State = Record<string, unknown>;
export interface Definition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

/** The Lambda function (name or ARN) that runs Baton's built-in grouping step of a shuffle. */
export const GROUP_FUNCTION = '$group';
export const WINDOW_FUNCTION = '$window';

/**
 * The retrier every Lambda task carries: the errors of the Lambda service itself (throttling,
 * which a new account's low concurrency makes likely on a wide fan-out, and transient
 * service faults), retried as the Step Functions console writes it. A function's own error
 * is not among them: it still fails the run.
 */
export const LAMBDA_SERVICE_RETRY = [
  {
    ErrorEquals: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];

/** ASL names every error with States.ALL ('*'), which must stand alone. */
function errorEquals(errors: readonly string[], where: string): string[] {
  if (errors.length === 0) throw new UnsupportedError(`step functions: ${where} of a try names no error`);
  return errors.includes('*') ? ['States.ALL'] : [...errors];
}

/** A try's retry as an ASL retrier: attempts after the first, whole seconds between them. */
function retrierOf(retry: NonNullable<Extract<WorkflowNode, { kind: 'try' }>['retry']>): State {
  if (retry.backoffRate < 1) throw new UnsupportedError(`step functions: a retry's BackoffRate is at least 1.0 (the try asks for ${retry.backoffRate})`);
  return {
    ErrorEquals: errorEquals(retry.errors, 'the retry'),
    IntervalSeconds: Math.max(1, Math.ceil(retry.intervalMs / 1000)),
    MaxAttempts: retry.maxAttempts - 1,
    BackoffRate: retry.backoffRate,
  };
}

export function compileAsl(graph: WorkflowNode, resourceOf: (fn: string) => string, comment = 'compiled by Baton'): Definition {
  let counter = 0;
  const name = (label: string): string => `${label}-${++counter}`;

  /** Compiles `node` into `states`; returns its first state and its output shape. */
  const emit = (node: WorkflowNode, states: Record<string, State>, next: string | undefined, shape: Shape): { start: string; shape: Shape } => {
    const flow = (state: State): State => (next === undefined ? { ...state, End: true } : { ...state, Next: next });
    const sub = (child: WorkflowNode, inShape: Shape): { machine: Definition; shape: Shape } => {
      const subStates: Record<string, State> = {};
      const out = emit(child, subStates, undefined, inShape);
      return { machine: { StartAt: out.start, States: subStates }, shape: out.shape };
    };
    switch (node.kind) {
      case 'task': {
        const start = name(node.fn);
        states[start] = flow({ Type: 'Task', Resource: resourceOf(node.fn), Retry: LAMBDA_SERVICE_RETRY });
        return { start, shape: ENVELOPE };
      }
      case 'sequence': {
        // Shapes flow forward, names are wired backward: compile front to back with placeholders.
        let current = shape;
        const starts: string[] = [];
        const bodies: Record<string, State>[] = [];
        for (const step of node.steps) {
          const stepStates: Record<string, State> = {};
          const out = emit(step, stepStates, `\u0000next`, current);
          starts.push(out.start);
          bodies.push(stepStates);
          current = out.shape;
        }
        bodies.forEach((stepStates, i) => {
          for (const [stateName, state] of Object.entries(stepStates)) states[stateName] = rewireNext(state, i + 1 < starts.length ? starts[i + 1] : next);
        });
        return { start: starts[0]!, shape: current };
      }
      case 'parallel': {
        const branches = node.branches.map((b) => sub(b, shape));
        const start = name('parallel');
        states[start] = flow({ Type: 'Parallel', Branches: branches.map((b) => b.machine) });
        return { start, shape: { kind: 'tuple', items: branches.map((b) => b.shape) } };
      }
      case 'map': {
        const body = sub(node.body, itemShape(shape.kind === 'envelope' ? PLAIN : shape));
        const start = name('map');
        states[start] = flow({
          Type: 'Map',
          ItemsPath: fieldPath(shape, ''),
          ...lineage(shape),
          ...(node.maxConcurrency ? { MaxConcurrency: node.maxConcurrency } : {}),
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...body.machine },
        });
        return { start, shape: { kind: 'list', item: body.shape } };
      }
      case 'choice': {
        const arms = node.cases.map((c) => ({ when: c.when, out: emit(c.then, states, next, shape) }));
        const otherwise = node.otherwise ? emit(node.otherwise, states, next, shape) : undefined;
        const start = name('choice');
        states[start] = {
          Type: 'Choice',
          Choices: arms.map((arm) => ({ ...choiceRule(arm.when, fieldPath(shape, arm.when.field)), Next: arm.out.start })),
          ...(otherwise ? { Default: otherwise.start } : {}), // no Default: States.NoChoiceMatched, as the model says
        };
        return { start, shape: joinShapes([...arms.map((a) => a.out.shape), ...(otherwise ? [otherwise.shape] : [])], 'the arms of a choice') };
      }
      case 'foreign':
        throw new UnsupportedError("step functions: a workflow in another platform's own format runs on that platform only");
      case 'try': {
        // The body as the one branch of a Parallel state, which takes Retry and Catch; the try's
        // input is kept under $.input so that a catch handler gets it with the error.
        const [wrap, attempt] = [name('try-input'), name('try')];
        const body = sub(node.body, shape);
        const handlerShape: Shape = { kind: 'record', fields: { error: PLAIN, cause: PLAIN, input: shape } };
        const handlers = (node.catch ?? []).map((c) => {
          const prep = name('caught');
          const out = emit(c.then, states, next, handlerShape);
          // The Lambda handler reads Cause (Lambda's error JSON) as the message (handler.ts, CAUGHT_MARK).
          states[prep] = {
            Type: 'Pass',
            Parameters: { 'error.$': '$.caught.Error', 'cause.$': '$.caught.Cause', 'input.$': '$.input', [CAUGHT_MARK]: true },
            Next: out.start,
          };
          return { errors: c.errors, prep, shape: out.shape };
        });
        states[wrap] = { Type: 'Pass', Parameters: { 'input.$': '$' }, Next: attempt };
        const retry = node.retry && node.retry.maxAttempts > 1 ? [retrierOf(node.retry)] : [];
        states[attempt] = flow({
          Type: 'Parallel',
          InputPath: '$.input',
          Branches: [body.machine],
          OutputPath: '$[0]',
          ...(retry.length > 0 ? { Retry: retry } : {}),
          ...(handlers.length > 0
            ? { Catch: handlers.map((h) => ({ ErrorEquals: errorEquals(h.errors, 'a catch'), ResultPath: '$.caught', Next: h.prep })) }
            : {}),
        });
        return { start: wrap, shape: joinShapes([body.shape, ...handlers.map((h) => h.shape)], 'the body of a try and its catch handlers') };
      }
      case 'fold': {
        const [init, check, step, inc, done] = ['fold-init', 'fold-check', 'fold-step', 'fold-next', 'fold-done'].map(name) as [
          string,
          string,
          string,
          string,
          string,
        ];
        const itemsPath = fieldPath(shape, 'items');
        // The initial state keeps its producer (an envelope around it, carrying the input's record), so the first step names it as a parent.
        const state =
          shape.kind === 'envelope' ? { state: { 'value.$': fieldPath(shape, 'state'), 'baton.$': '$.baton' } } : { 'state.$': fieldPath(shape, 'state') };
        states[init] = { Type: 'Pass', Parameters: { 'items.$': itemsPath, ...state, index: 0, 'count.$': `States.ArrayLength(${itemsPath})` }, Next: check };
        states[check] = { Type: 'Choice', Choices: [{ Variable: '$.index', NumericLessThanPath: '$.count', Next: step }], Default: done };
        states[step] = {
          Type: 'Task',
          Resource: resourceOf(node.fn),
          Retry: LAMBDA_SERVICE_RETRY,
          Parameters: { 'state.$': '$.state', 'item.$': 'States.ArrayGetItem($.items, $.index)', 'index.$': '$.index' },
          ResultPath: '$.state',
          Next: inc,
        };
        states[inc] = {
          Type: 'Pass',
          Parameters: { 'items.$': '$.items', 'count.$': '$.count', 'state.$': '$.state', 'index.$': 'States.MathAdd($.index, 1)' },
          Next: check,
        };
        states[done] = flow({ Type: 'Pass', OutputPath: '$.state' });
        return { start: init, shape: { kind: 'mixed', why: 'a fold returns its initial state when it has no items, else a function output' } };
      }
      case 'dag': {
        // Level barriers: each level of the DAG is one Parallel state; outputs accumulate under $.L<level>.
        const order = topologicalOrder(node.tasks);
        const level = new Map<string, number>();
        for (const task of order) level.set(task.id, Math.max(-1, ...task.after.map((p) => level.get(p)!)) + 1);
        const levels = [...new Set(level.values())].sort((a, b) => a - b).map((l) => order.filter((t) => level.get(t.id) === l));
        const where = new Map<string, string>();
        levels.forEach((tasks, l) => {
          tasks.forEach((t, i) => {
            where.set(t.id, `$.L${l}[${i}]`);
          });
        });
        const start = name('dag-init');
        const names = levels.map(() => name('dag-level'));
        const finish = name('dag-out');
        states[start] = { Type: 'Pass', Parameters: { 'input.$': '$' }, Next: names[0] };
        levels.forEach((tasks, l) => {
          states[names[l]!] = {
            Type: 'Parallel',
            ResultPath: `$.L${l}`,
            Next: names[l + 1] ?? finish,
            Branches: tasks.map((t) => {
              const taskState = name(t.fn);
              const inputs = t.after.length === 0 ? { '$input.$': '$.input' } : Object.fromEntries(t.after.map((p) => [`${p}.$`, where.get(p)!]));
              return {
                StartAt: taskState,
                States: {
                  [taskState]: {
                    Type: 'Task',
                    Resource: resourceOf(t.fn),
                    Retry: LAMBDA_SERVICE_RETRY,
                    Parameters: { id: t.id, args: t.args ?? null, inputs },
                    End: true,
                  },
                },
              };
            }),
          };
        });
        const sinks = dagSinks(node.tasks);
        states[finish] = flow({ Type: 'Pass', Parameters: Object.fromEntries(sinks.map((id) => [`${id}.$`, where.get(id)!])) });
        return { start, shape: { kind: 'record', fields: Object.fromEntries(sinks.map((id) => [id, ENVELOPE])) } };
      }
      case 'shuffle': {
        // Map (mappers) + Baton's grouping function + Map (reducers); the groups travel in the state payload.
        const mappers = sub({ kind: 'task', fn: node.mapper }, itemShape(shape.kind === 'envelope' ? PLAIN : shape));
        const reducers = sub({ kind: 'task', fn: node.reducer }, ENVELOPE);
        const [mapStart, group, reduce] = [name('shuffle-map'), name('shuffle-group'), name('shuffle-reduce')];
        states[mapStart] = {
          Type: 'Map',
          ItemsPath: fieldPath(shape, ''),
          ...lineage(shape),
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...mappers.machine },
          Next: group,
        };
        states[group] = { Type: 'Task', Resource: resourceOf(GROUP_FUNCTION), Retry: LAMBDA_SERVICE_RETRY, Next: reduce };
        states[reduce] = flow({ Type: 'Map', ItemsPath: '$.value', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...reducers.machine } });
        return { start: mapStart, shape: { kind: 'list', item: ENVELOPE } };
      }
      case 'firstOf': {
        // All branches run to the end; the first k in branch order are kept.
        const branches = node.branches.map((b) => sub(b, shape));
        const [start, keep] = [name('first-of'), name('first-of-keep')];
        const picks = Array.from({ length: node.k }, (_, i) => `$[${i}]`).join(', ');
        states[start] = { Type: 'Parallel', Branches: branches.map((b) => b.machine), Next: keep };
        states[keep] = flow({ Type: 'Pass', Parameters: { 'kept.$': `States.Array(${picks})` }, OutputPath: '$.kept' });
        return {
          start,
          shape: {
            kind: 'list',
            item: joinShapes(
              branches.map((b) => b.shape),
              'the branches of a firstOf',
            ),
          },
        };
      }
      case 'window': {
        // Baton's window Lambda cuts the events into windows (each an envelope carrying the events' producers); a Map runs fn per window.
        const body = sub({ kind: 'task', fn: node.fn }, ENVELOPE);
        const [cut, each] = [name('window-cut'), name('window-map')];
        states[cut] = {
          Type: 'Task',
          Resource: resourceOf(WINDOW_FUNCTION),
          Retry: LAMBDA_SERVICE_RETRY,
          Parameters: { 'events.$': '$', size: node.size },
          Next: each,
        };
        states[each] = flow({ Type: 'Map', ItemsPath: '$.value', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...body.machine } });
        return { start: cut, shape: { kind: 'list', item: ENVELOPE } };
      }
    }
  };

  const states: Record<string, State> = {};
  const { start } = emit(graph, states, undefined, PLAIN);
  const definition: Definition = { Comment: comment, StartAt: start, States: states };
  const problems = aslProblems(definition);
  if (problems.length > 0) throw new Error(`Baton compiled an invalid state machine (a bug): ${problems.join('; ')}`);
  return definition;
}

/**
 * Items of an array that one function returned are plain JSON; each is wrapped in an
 * envelope with that function's record, so the functions that take them know their parent.
 */
function lineage(shape: Shape): State {
  return shape.kind === 'envelope' ? { ItemSelector: { 'value.$': '$$.Map.Item.Value', 'baton.$': '$.baton' } } : {};
}

/** Replaces the placeholder Next that `sequence` compiles its steps with. */
function rewireNext(state: State, next: string | undefined): State {
  const fix = (s: State): State => {
    const out: State = { ...s };
    if (out['Next'] === '\u0000next') {
      delete out['Next'];
      if (next === undefined) out['End'] = true;
      else out['Next'] = next;
    }
    if (out['Default'] === '\u0000next') out['Default'] = next;
    if (Array.isArray(out['Choices'])) out['Choices'] = (out['Choices'] as State[]).map((c) => (c['Next'] === '\u0000next' ? { ...c, Next: next } : c));
    return out;
  };
  return fix(state);
}

const OPERATORS = { eq: 'Equals', lt: 'LessThan', le: 'LessThanEquals', gt: 'GreaterThan', ge: 'GreaterThanEquals' } as const;

function choiceRule(condition: Condition, variable: string): State {
  const type = typeof condition.value === 'number' ? 'Numeric' : typeof condition.value === 'string' ? 'String' : 'Boolean';
  if (type === 'Boolean' && condition.op !== 'eq' && condition.op !== 'ne') {
    throw new UnsupportedError(`step functions: choice: '${condition.op}' on a boolean has no ASL operator`);
  }
  // As the model says: the field must exist and have the value's type, whatever the operator.
  const compare = { Variable: variable, [`${type}${OPERATORS[condition.op === 'ne' ? 'eq' : condition.op]}`]: condition.value };
  return { And: [{ Variable: variable, IsPresent: true }, { Variable: variable, [`Is${type}`]: true }, condition.op === 'ne' ? { Not: compare } : compare] };
}
