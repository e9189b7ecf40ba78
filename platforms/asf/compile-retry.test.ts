/**
 * Every Lambda task of a compiled state machine retries the Lambda service's own errors
 * (throttling first): run by Baton's ASL interpreter with a Lambda that throttles the
 * first two calls, as a new account's low concurrency does on a wide fan-out.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowNode } from '../../harness/model/index.ts';
import { compileAsl, LAMBDA_SERVICE_RETRY } from './compile.ts';
import { StatesError } from './local/asl/errors.ts';
import { startExecution } from './local/asl/execution.ts';
import type { TaskCall, TaskRunner } from './local/asl/frame.ts';
import type { StateMachineDefinition } from './local/asl/interpreter.ts';
import type { Json } from './local/asl/json.ts';

/** Lambda's side of the call: throttled `throttled` times, then the function runs; a function error is the function's own. */
class ThrottlingLambda implements TaskRunner {
  calls = 0;
  private readonly throttled: number;
  private readonly functionError: string | undefined;
  constructor(throttled: number, functionError?: string) {
    this.throttled = throttled;
    this.functionError = functionError;
  }
  async run(call: TaskCall): Promise<Json> {
    this.calls++;
    if (this.calls <= this.throttled) throw new StatesError('Lambda.TooManyRequestsException', 'Rate Exceeded.');
    if (this.functionError) throw new StatesError(this.functionError, '{"errorMessage":"boom"}');
    return (call.input as number) + 1;
  }
}

const run = (definition: StateMachineDefinition, tasks: TaskRunner) =>
  startExecution({
    definition,
    input: 1,
    execution: { Id: 'arn:x', Input: 1, Name: 'x', RoleArn: 'r', StartTime: new Date().toISOString(), RedriveCount: 0 },
    stateMachine: { Id: 'arn:sm', Name: 'sm' },
    tasks,
  }).outcome;

describe('compiled Lambda tasks and the Lambda service', () => {
  const graph: WorkflowNode = { kind: 'task', fn: 'inc' } as WorkflowNode;
  const definition = compileAsl(graph, (fn) => `arn:aws:lambda:us-east-1:000000000000:function:${fn}`) as unknown as StateMachineDefinition;

  it('carry the retrier for throttling and service errors', () => {
    const tasks = Object.values(definition.States).filter((s) => s['Type'] === 'Task');
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) expect(task['Retry']).toEqual(LAMBDA_SERVICE_RETRY);
  });

  it('get through two throttled calls', async () => {
    const lambda = new ThrottlingLambda(2);
    const outcome = await run(definition, lambda);
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: '2' });
    expect(lambda.calls).toBe(3);
  }, 30_000);

  it("do not retry a function's own error", async () => {
    const lambda = new ThrottlingLambda(0, 'ValueError');
    expect(await run(definition, lambda)).toMatchObject({ status: 'FAILED', error: 'ValueError' });
    expect(lambda.calls).toBe(1);
  });
});
