/**
 * State machines and their executions, as the local Step Functions keeps them.
 * Each execution is interpreted by aws-local-stepfunctions; its Task states call the
 * local Lambda endpoint over HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { HistoryRecorder, type HistoryEvent } from './history.ts';
import { lambdaTaskHandlers, taskResources } from './lambda-tasks.ts';

export type MachineType = 'STANDARD' | 'EXPRESS';

export interface Machine {
  readonly arn: string;
  readonly name: string;
  readonly type: MachineType;
  readonly roleArn: string;
  readonly definition: string;
  readonly creationDate: Date;
  readonly resources: ReadonlyMap<string, string>;
  /** Built once: constructing one validates the definition, which takes tens of milliseconds. */
  readonly interpreter: StateMachine;
}

export interface Execution {
  readonly arn: string;
  readonly name: string;
  readonly machine: Machine;
  readonly input: string;
  readonly startDate: Date;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly history: HistoryRecorder;
  readonly done: Promise<void>;
}

export class Executions {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly lambda: LambdaClient;
  private readonly arnPrefix: string;

  constructor(lambda: LambdaClient, region: string, account: string) {
    this.lambda = lambda;
    this.arnPrefix = `arn:aws:states:${region}:${account}`;
  }

  createMachine(name: string, definition: string, type: MachineType, roleArn: string): Machine {
    const arn = `${this.arnPrefix}:stateMachine:${name}`;
    const parsed = JSON.parse(definition) as StateMachineDefinition;
    const interpreter = new StateMachine(parsed, { validationOptions: { checkArn: false } });
    const machine: Machine = { arn, name, type, roleArn, definition, creationDate: new Date(), resources: taskResources(parsed), interpreter };
    this.machines.set(arn, machine);
    return machine;
  }

  machine(arn: string): Machine | undefined {
    return this.machines.get(arn);
  }

  deleteMachine(arn: string): void {
    this.machines.delete(arn);
  }

  execution(arn: string): Execution | undefined {
    return this.executions.get(arn);
  }

  list(machineArn: string): Execution[] {
    return [...this.executions.values()].filter((e) => e.machine.arn === machineArn);
  }

  start(machine: Machine, input: string, name: string = randomUUID()): Execution {
    const arn = `${this.arnPrefix}:${machine.type === 'EXPRESS' ? 'express' : 'execution'}:${machine.name}:${name}`;
    const history = new HistoryRecorder();
    const run = machine.interpreter.run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers: lambdaTaskHandlers(machine.resources, this.lambda, history) },
    });
    const logs = (async () => {
      for await (const event of run.eventLogs) history.addLibraryEvent(event as never);
    })();
    const execution: Execution = {
      arn,
      name,
      machine,
      input,
      startDate: new Date(),
      status: 'RUNNING',
      history,
      done: run.result
        .then(
          (output) => {
            execution.status = 'SUCCEEDED';
            execution.output = JSON.stringify(output);
          },
          (error: Error) => {
            execution.status = 'FAILED';
            const cause = (error as { cause?: { name?: string; message?: string } }).cause;
            execution.error = cause?.name ?? error.name;
            execution.cause = cause?.message ?? error.message;
          },
        )
        .then(async () => {
          execution.stopDate = new Date();
          await logs.catch(() => {});
        }),
    };
    this.executions.set(arn, execution);
    return execution;
  }

  historyOf(execution: Execution): HistoryEvent[] {
    return execution.history.events();
  }
}
