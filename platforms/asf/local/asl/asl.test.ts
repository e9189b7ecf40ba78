/**
 * The interpreter on what the AWS-recorded cases do not cover, by the Amazon States
 * Language specification and the Step Functions documentation.
 */
import { describe, expect, it } from 'vitest';
import { startExecution } from './execution.ts';
import type { TaskRunner } from './frame.ts';
import type { StateMachineDefinition } from './interpreter.ts';
import type { Json } from './json.ts';

const noTasks: TaskRunner = {
  run: () => Promise.reject(new Error('no tasks here')),
};

async function run(definition: object, input: Json) {
  return startExecution({
    definition: definition as StateMachineDefinition,
    input,
    execution: {
      Id: 'arn:aws:states:us-east-1:000000000000:execution:m:e',
      Input: input,
      Name: 'e',
      RoleArn: 'r',
      StartTime: new Date().toISOString(),
      RedriveCount: 0,
    },
    stateMachine: { Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:m', Name: 'm' },
    tasks: noTasks,
  }).outcome;
}

const pass = (fields: object) => ({ StartAt: 'P', States: { P: { Type: 'Pass', ...fields, End: true } } });

describe('ASL interpreter', () => {
  it('States.Format keeps escaped braces literal, and States.StringSplit splits on each delimiter character', async () => {
    const out = await run(pass({ Parameters: { 'f.$': "States.Format('\\{\\} {}', $.x)", 's.$': "States.StringSplit('a,b+c,,d', ',+')" } }), { x: 'v' });
    expect(JSON.parse(out.output!)).toEqual({ f: '{} v', s: ['a', 'b', 'c', 'd'] });
  });

  it('an indefinite path over missing data yields an empty list; a definite one fails with States.Runtime', async () => {
    expect(JSON.parse((await run(pass({ Parameters: { 'all.$': '$.items[*].id' } }), {})).output!)).toEqual({ all: [] });
    expect(await run(pass({ Parameters: { 'one.$': '$.items[0].id' } }), {})).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('a ResultPath that cannot be applied fails with States.ResultPathMatchFailure, which a catcher takes', async () => {
    const failing = await run(pass({ Result: 1, ResultPath: '$.a.b' }), { a: 'text' });
    expect(failing).toMatchObject({ status: 'FAILED', error: 'States.ResultPathMatchFailure' });
    const caught = await run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'P', States: { P: { Type: 'Pass', Result: 1, ResultPath: '$.a.b', End: true } } }],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }],
            End: false,
            Next: 'Done',
          },
          Done: { Type: 'Succeed' },
        },
      },
      { a: 'text' },
    );
    expect(caught.status).toBe('SUCCEEDED');
    expect(JSON.parse(caught.output!).error.Error).toBe('States.ResultPathMatchFailure');
  });

  it('Assign values see the variables as they were before the state; Output does too', async () => {
    const out = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
          B: { Type: 'Pass', Assign: { x: '{% $x + 1 %}', y: '{% $x %}' }, Output: { x: '{% $x %}' }, Next: 'C' },
          C: { Type: 'Pass', Output: { x: '{% $x %}', y: '{% $y %}' }, End: true },
        },
      },
      {},
    );
    expect(JSON.parse(out.output!)).toEqual({ x: 2, y: 1 });
  });
});
