/**
 * State machines and their executions, as the local Step Functions keeps them. Each
 * execution runs on Baton's ASL interpreter (asl/); its Task states call the local Lambda
 * endpoint over HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type ExecutionRun, type ExecutionStatus, type Outcome, startExecution } from './asl/execution.ts';
import type { HistoryEvent } from './asl/history.ts';
import type { StateMachineDefinition } from './asl/interpreter.ts';
import type { Json } from './asl/json.ts';
import { LambdaTasks } from './lambda-tasks.ts';

export type MachineType = 'STANDARD' | 'EXPRESS';

export interface Machine {
  readonly arn: string;
  readonly name: string;
  readonly type: MachineType;
  roleArn: string;
  definition: string;
  parsed: StateMachineDefinition;
  readonly creationDate: Date;
  tags: Record<string, string>;
}

export interface Execution {
  readonly arn: string;
  readonly name: string;
  readonly machine: Machine;
  /** The definition it runs: a later UpdateStateMachine does not change a running execution. */
  readonly definition: string;
  readonly input: string;
  readonly startDate: Date;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly run: ExecutionRun;
  readonly done: Promise<void>;
}

export class Executions {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly tasks: LambdaTasks;
  readonly arnPrefix: string;

  constructor(lambda: LambdaClient, region: string, account: string) {
    this.tasks = new LambdaTasks(lambda, region);
    this.arnPrefix = `arn:aws:states:${region}:${account}`;
  }

  machineArn(name: string): string {
    return `${this.arnPrefix}:stateMachine:${name}`;
  }

  addMachine(machine: Machine): void {
    this.machines.set(machine.arn, machine);
  }

  machine(arn: string): Machine | undefined {
    return this.machines.get(arn);
  }

  allMachines(): Machine[] {
    return [...this.machines.values()];
  }

  deleteMachine(arn: string): void {
    this.machines.delete(arn);
  }

  execution(arn: string): Execution | undefined {
    return this.executions.get(arn);
  }

  list(machineArn: string): Execution[] {
    return [...this.executions.values()].filter((e) => e.machine.arn === machineArn).reverse();
  }

  executionArn(machine: Machine, name: string): string {
    return `${this.arnPrefix}:${machine.type === 'EXPRESS' ? 'express' : 'execution'}:${machine.name}:${name}`;
  }

  start(machine: Machine, input: string, name: string = randomUUID()): Execution {
    const arn = this.executionArn(machine, name);
    const startDate = new Date();
    const run = startExecution({
      definition: machine.parsed,
      input: JSON.parse(input) as Json,
      execution: { Id: arn, Input: JSON.parse(input) as Json, Name: name, RoleArn: machine.roleArn, StartTime: startDate.toISOString(), RedriveCount: 0 },
      stateMachine: { Id: machine.arn, Name: machine.name },
      tasks: this.tasks,
    });
    const execution: Execution = {
      arn,
      name,
      machine,
      definition: machine.definition,
      input,
      startDate,
      status: 'RUNNING',
      run,
      done: run.outcome.then((outcome: Outcome) => {
        execution.status = outcome.status;
        execution.stopDate = new Date();
        if (outcome.output !== undefined) execution.output = outcome.output;
        if (outcome.error !== undefined) execution.error = outcome.error;
        if (outcome.cause !== undefined) execution.cause = outcome.cause;
      }),
    };
    this.executions.set(arn, execution);
    return execution;
  }

  historyOf(execution: Execution): readonly HistoryEvent[] {
    return execution.run.history.events();
  }
}
