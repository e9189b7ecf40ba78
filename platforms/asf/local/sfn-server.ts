/**
 * A local AWS Step Functions endpoint on 127.0.0.1, speaking the JSON 1.0 protocol
 * (`X-Amz-Target: AWSStepFunctions.<Action>`) that the unmodified `@aws-sdk/client-sfn`
 * uses: CreateStateMachine, DescribeStateMachine, DeleteStateMachine, StartExecution,
 * StartSyncExecution, DescribeExecution, GetExecutionHistory, ListExecutions.
 * Errors come back in the service's shape: `{ "__type": ..., "message": ... }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_ACCOUNT } from '../../aws-local/account.ts';
import type { LocalCredentials } from '../../aws-local/credentials.ts';
import { signatureProblem } from '../../aws-local/sigv4.ts';
import { closeServer, listen, readBody, sendJson } from '../../../harness/adapter-kit/http.ts';
import { aslProblems } from '../../../harness/adapter-kit/asl-validate.ts';
import { Executions, type Execution, type MachineType } from './executions.ts';

export interface LocalStepFunctions {
  readonly url: string;
  readonly executions: Executions;
  close(): Promise<void>;
}

class ServiceError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

/**
 * Step Functions' rule for state machine and execution names: 1 to 80 characters, none of
 * white space, brackets, wildcards, the special characters " # % \\ ^ | ~ ` $ & , ; : / or
 * control characters (the names become ARN parts).
 */
const FORBIDDEN_IN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const isControl = (c: string): boolean => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f);

function checkedName(value: unknown, field: string): string {
  const name = typeof value === 'string' ? value : '';
  if (name.length < 1 || name.length > 80 || FORBIDDEN_IN_NAME.test(name) || [...name].some(isControl))
    throw new ServiceError('InvalidName', `Invalid Name: '${String(value)}' (${field})`);
  return name;
}

/** Execution input: at most 256 KiB of UTF-8, refused at StartExecution as the service does. */
const MAX_INPUT_BYTES = 262_144;

function checkedInput(value: unknown): string {
  const input = value === undefined ? '{}' : String(value);
  if (Buffer.byteLength(input) > MAX_INPUT_BYTES) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT_BYTES}`,
    );
  }
  return input;
}

const seconds = (date: Date | undefined) => (date === undefined ? undefined : date.getTime() / 1000);

export async function startLocalStepFunctions(options: {
  lambdaUrl: string;
  /** The stand-ins' credentials: requests must be signed with them, and Task states call Lambda with them. */
  credentials: LocalCredentials;
  region?: string;
  port?: number;
}): Promise<LocalStepFunctions> {
  const region = options.region ?? 'us-east-1';
  const { credentials } = options;
  const lambda = new LambdaClient({ endpoint: options.lambdaUrl, region, credentials });
  const executions = new Executions(lambda, region, LOCAL_ACCOUNT);

  const machineOf = (arn: unknown) => {
    const machine = executions.machine(String(arn));
    if (!machine) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    return machine;
  };
  const executionOf = (arn: unknown) => {
    const execution = executions.execution(String(arn));
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
    return execution;
  };
  const describe = (e: Execution) => ({
    executionArn: e.arn,
    stateMachineArn: e.machine.arn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
    stopDate: seconds(e.stopDate),
    input: e.input,
    output: e.output,
    error: e.error,
    cause: e.cause,
  });

  const actions: Record<string, (input: Record<string, unknown>) => Promise<unknown> | unknown> = {
    CreateStateMachine: (input) => {
      const definition = String(input['definition'] ?? '');
      let parsed: unknown;
      try {
        parsed = JSON.parse(definition);
      } catch (error) {
        throw new ServiceError('InvalidDefinition', `Invalid State Machine Definition: not JSON (${(error as Error).message})`);
      }
      const problems = aslProblems(parsed);
      if (problems.length > 0) throw new ServiceError('InvalidDefinition', `Invalid State Machine Definition: '${problems.join('; ')}'`);
      const type = String(input['type'] ?? 'STANDARD') as MachineType;
      const machine = executions.createMachine(checkedName(input['name'], 'name'), definition, type, String(input['roleArn'] ?? ''));
      return { stateMachineArn: machine.arn, creationDate: seconds(machine.creationDate) };
    },
    DescribeStateMachine: (input) => {
      const m = machineOf(input['stateMachineArn']);
      return {
        stateMachineArn: m.arn,
        name: m.name,
        status: 'ACTIVE',
        definition: m.definition,
        roleArn: m.roleArn,
        type: m.type,
        creationDate: seconds(m.creationDate),
      };
    },
    DeleteStateMachine: (input) => {
      executions.deleteMachine(String(input['stateMachineArn']));
      return {};
    },
    StartExecution: (input) => {
      const name = input['name'] === undefined ? undefined : checkedName(input['name'], 'name');
      const e = executions.start(machineOf(input['stateMachineArn']), checkedInput(input['input']), name);
      return { executionArn: e.arn, startDate: seconds(e.startDate) };
    },
    StartSyncExecution: async (input) => {
      const machine = machineOf(input['stateMachineArn']);
      if (machine.type !== 'EXPRESS') throw new ServiceError('StateMachineTypeNotSupported', 'This operation is supported only for EXPRESS state machines');
      const e = executions.start(machine, checkedInput(input['input']), input['name'] as string | undefined);
      await e.done;
      const durationMs = e.stopDate!.getTime() - e.startDate.getTime();
      return { ...describe(e), billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(durationMs / 100) * 100) } };
    },
    DescribeExecution: (input) => describe(executionOf(input['executionArn'])),
    GetExecutionHistory: (input) => {
      const e = executionOf(input['executionArn']);
      if (e.machine.type === 'EXPRESS')
        throw new ServiceError('InvalidArn', 'Express executions have no history in the Step Functions API (they log to CloudWatch)');
      const events = executions.historyOf(e).map((event) => ({ ...event, timestamp: seconds(event.timestamp) }));
      return { events: input['reverseOrder'] === true ? events.reverse() : events };
    },
    ListExecutions: (input) => {
      const filter = input['statusFilter'] as string | undefined;
      const list = executions.list(String(machineOf(input['stateMachineArn']).arn)).filter((e) => !filter || e.status === filter);
      return {
        executions: list.map((e) => ({
          executionArn: e.arn,
          stateMachineArn: e.machine.arn,
          name: e.name,
          status: e.status,
          startDate: seconds(e.startDate),
          stopDate: seconds(e.stopDate),
        })),
      };
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const action = actions[target.replace(/^AWSStepFunctions\./, '')];
    const body = await readBody(request);
    const unsigned = await signatureProblem(request, body, credentials, 'states');
    if (unsigned) {
      return sendJson(response, 403, { __type: 'UnrecognizedClientException', message: unsigned }, { 'content-type': 'application/x-amz-json-1.0' });
    }
    try {
      if (request.method !== 'POST' || !action) throw new ServiceError('UnknownOperationException', `unsupported operation '${target}'`);
      const result = await action(body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {});
      sendJson(response, 200, result, { 'content-type': 'application/x-amz-json-1.0' });
    } catch (error) {
      const type = error instanceof ServiceError ? error.type : 'InternalFailure';
      sendJson(
        response,
        error instanceof ServiceError ? 400 : 500,
        { __type: type, message: (error as Error).message },
        { 'content-type': 'application/x-amz-json-1.0' },
      );
    }
  };

  const { server, url } = await listen((request, response) => void handle(request, response), options.port);
  return {
    url,
    executions,
    close: async () => {
      lambda.destroy();
      await closeServer(server);
    },
  };
}
