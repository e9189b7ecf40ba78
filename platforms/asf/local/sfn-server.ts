/**
 * A local AWS Step Functions endpoint on 127.0.0.1, speaking the JSON 1.0 protocol
 * (`X-Amz-Target: AWSStepFunctions.<Action>`) that the unmodified `@aws-sdk/client-sfn`
 * uses, with the control-plane actions an AWS CLI user reaches for: Create / Describe /
 * Update / Delete / List state machines, ValidateStateMachineDefinition, Start(Sync) /
 * Stop / Describe / List executions, DescribeStateMachineForExecution, GetExecutionHistory
 * (paged), and tags. State machines run on Baton's ASL interpreter (asl/).
 * Errors come back in the service's shape: `{ "__type": ..., "message": ... }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_ACCOUNT } from '../../aws-local/account.ts';
import type { LocalCredentials } from '../../aws-local/credentials.ts';
import { signatureProblem } from '../../aws-local/sigv4.ts';
import { closeServer, listen, readBody, sendJson } from '../../../harness/adapter-kit/http.ts';
import type { HistoryEvent } from './asl/history.ts';
import type { StateMachineDefinition } from './asl/interpreter.ts';
import type { JsonObject } from './asl/json.ts';
import { definitionProblems, structureProblems } from './definition-check.ts';
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
  const input = value === undefined || value === null ? '{}' : String(value);
  if (Buffer.byteLength(input) > MAX_INPUT_BYTES) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT_BYTES}`,
    );
  }
  try {
    JSON.parse(input);
  } catch (error) {
    throw new ServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(error as Error).message}'`);
  }
  return input;
}

function requestOf(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new ServiceError('SerializationException', 'the request body is not JSON');
  }
}

const seconds = (date: Date | undefined) => (date === undefined ? undefined : date.getTime() / 1000);

function checkedDefinition(definition: string): StateMachineDefinition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (error) {
    throw new ServiceError('InvalidDefinition', `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: not JSON (${(error as Error).message})'`);
  }
  const problems = structureProblems(parsed);
  if (problems.length > 0) throw new ServiceError('InvalidDefinition', `Invalid State Machine Definition: '${problems.join('; ')}'`);
  const unsupported = definitionProblems(parsed as JsonObject);
  if (unsupported.length > 0) {
    throw new ServiceError('InvalidDefinition', `Invalid State Machine Definition: 'the local stand-in cannot run this faithfully: ${unsupported.join('; ')}'`);
  }
  return parsed as StateMachineDefinition;
}

function checkedType(value: unknown): MachineType {
  const type = value === undefined ? 'STANDARD' : String(value);
  if (type !== 'STANDARD' && type !== 'EXPRESS') {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
    );
  }
  return type;
}

function tagMap(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of (tags as { key?: string; value?: string }[] | undefined) ?? []) if (tag.key !== undefined) out[tag.key] = tag.value ?? '';
  return out;
}

/** `maxResults` / `nextToken` as the service pages: the token is opaque to the caller (here, an offset). */
function paginate<T>(items: readonly T[], input: Record<string, unknown>): { page: T[]; nextToken?: string } {
  const max = input['maxResults'] === undefined || input['maxResults'] === 0 ? 100 : Number(input['maxResults']);
  if (!Number.isInteger(max) || max < 0 || max > 1000) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${String(input['maxResults'])}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  }
  let offset = 0;
  if (input['nextToken'] !== undefined) {
    offset = Number.parseInt(Buffer.from(String(input['nextToken']), 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(offset) || offset < 0 || offset > items.length)
      throw new ServiceError('InvalidToken', `Invalid Token: '${String(input['nextToken'])}'`);
  }
  const page = items.slice(offset, offset + max);
  const next = offset + page.length;
  return next < items.length ? { page, nextToken: Buffer.from(String(next)).toString('base64url') } : { page };
}

/** An event without its input and output data (`includeExecutionData: false`). */
function withoutData(event: HistoryEvent): HistoryEvent {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).filter(([k]) => !['input', 'output', 'parameters', 'inputDetails', 'outputDetails'].includes(k)));
    } else out[key] = value;
  }
  return out as unknown as HistoryEvent;
}

export async function startLocalStepFunctions(options: {
  lambdaUrl: string;
  /** The stand-ins' credentials: requests must be signed with them, and Task states call Lambda with them. */
  credentials: LocalCredentials;
  region?: string;
  port?: number;
}): Promise<LocalStepFunctions> {
  const region = options.region ?? 'us-east-1';
  const { credentials } = options;
  // No SDK retries: the service hands Lambda's errors (a throttle among them) to the state
  // machine, whose Retry decides; the SDK's own retries would hide them.
  const lambda = new LambdaClient({ endpoint: options.lambdaUrl, region, credentials, maxAttempts: 1 });
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
  const summary = (e: Execution) => ({
    executionArn: e.arn,
    stateMachineArn: e.machine.arn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
    stopDate: seconds(e.stopDate),
    redriveCount: 0,
  });
  const describe = (e: Execution) => ({
    ...summary(e),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output === undefined ? {} : { output: e.output, outputDetails: { included: true } }),
    error: e.error,
    cause: e.cause,
    redriveStatus: 'NOT_REDRIVABLE',
  });

  const actions: Record<string, (input: Record<string, unknown>) => Promise<unknown> | unknown> = {
    CreateStateMachine: (input) => {
      const name = checkedName(input['name'], 'name');
      const definition = String(input['definition'] ?? '');
      const parsed = checkedDefinition(definition);
      const type = checkedType(input['type']);
      const roleArn = String(input['roleArn'] ?? '');
      const arn = executions.machineArn(name);
      const existing = executions.machine(arn);
      if (existing) {
        // The service answers an identical request with the machine it made before.
        if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
          return { stateMachineArn: arn, creationDate: seconds(existing.creationDate) };
        }
        throw new ServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      }
      const machine = { arn, name, type, roleArn, definition, parsed, creationDate: new Date(), tags: tagMap(input['tags']) };
      executions.addMachine(machine);
      return { stateMachineArn: arn, creationDate: seconds(machine.creationDate) };
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
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },
    UpdateStateMachine: (input) => {
      const m = machineOf(input['stateMachineArn']);
      if (input['definition'] === undefined && input['roleArn'] === undefined) {
        throw new ServiceError('MissingRequiredParameter', 'Either the definition or the roleArn must be specified');
      }
      if (input['definition'] !== undefined) {
        m.parsed = checkedDefinition(String(input['definition']));
        m.definition = String(input['definition']);
      }
      if (input['roleArn'] !== undefined) m.roleArn = String(input['roleArn']);
      return { updateDate: Date.now() / 1000 };
    },
    DeleteStateMachine: (input) => {
      executions.deleteMachine(String(input['stateMachineArn']));
      return {};
    },
    ListStateMachines: (input) => {
      const { page, nextToken } = paginate(executions.allMachines(), input);
      return {
        stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: seconds(m.creationDate) })),
        ...(nextToken ? { nextToken } : {}),
      };
    },
    ValidateStateMachineDefinition: (input) => {
      try {
        checkedDefinition(String(input['definition'] ?? ''));
        return { result: 'OK', diagnostics: [] };
      } catch (error) {
        return { result: 'FAIL', diagnostics: [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: (error as Error).message }] };
      }
    },
    StartExecution: (input) => {
      const machine = machineOf(input['stateMachineArn']);
      const name = input['name'] === undefined ? undefined : checkedName(input['name'], 'name');
      const text = checkedInput(input['input']);
      if (name !== undefined) {
        const earlier = executions.execution(executions.executionArn(machine, name));
        if (earlier) {
          // Idempotent for the same input while it runs; otherwise a name is used once.
          if (earlier.status === 'RUNNING' && earlier.input === text) return { executionArn: earlier.arn, startDate: seconds(earlier.startDate) };
          throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${earlier.arn}'`);
        }
      }
      const e = executions.start(machine, text, name);
      return { executionArn: e.arn, startDate: seconds(e.startDate) };
    },
    StartSyncExecution: async (input) => {
      const machine = machineOf(input['stateMachineArn']);
      if (machine.type !== 'EXPRESS') throw new ServiceError('StateMachineTypeNotSupported', 'This operation is supported only for EXPRESS state machines');
      const name = input['name'] === undefined ? undefined : checkedName(input['name'], 'name');
      const e = executions.start(machine, checkedInput(input['input']), name);
      await e.done;
      const durationMs = e.stopDate!.getTime() - e.startDate.getTime();
      const { redriveCount: _count, redriveStatus: _status, ...sync } = describe(e);
      return { ...sync, billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(durationMs / 100) * 100) } };
    },
    StopExecution: async (input) => {
      const e = executionOf(input['executionArn']);
      if (e.status === 'RUNNING') {
        e.run.stop(input['error'] as string | undefined, input['cause'] as string | undefined);
        await e.done;
      }
      return { stopDate: seconds(e.stopDate) };
    },
    DescribeExecution: (input) => describe(executionOf(input['executionArn'])),
    DescribeStateMachineForExecution: (input) => {
      const e = executionOf(input['executionArn']);
      return { stateMachineArn: e.machine.arn, name: e.machine.name, definition: e.definition, roleArn: e.machine.roleArn, updateDate: seconds(e.startDate) };
    },
    GetExecutionHistory: (input) => {
      const e = executionOf(input['executionArn']);
      if (e.machine.type === 'EXPRESS')
        throw new ServiceError('InvalidArn', 'Express executions have no history in the Step Functions API (they log to CloudWatch)');
      const withData = input['includeExecutionData'] !== false;
      let events = executions.historyOf(e).map((event) => ({ ...(withData ? event : withoutData(event)), timestamp: seconds(event.timestamp) }));
      if (input['reverseOrder'] === true) events = events.reverse();
      const { page, nextToken } = paginate(events, input);
      return { events: page, ...(nextToken ? { nextToken } : {}) };
    },
    ListExecutions: (input) => {
      const filter = input['statusFilter'] as string | undefined;
      const list = executions.list(String(machineOf(input['stateMachineArn']).arn)).filter((e) => !filter || e.status === filter);
      const { page, nextToken } = paginate(list, input);
      return { executions: page.map(summary), ...(nextToken ? { nextToken } : {}) };
    },
    ListTagsForResource: (input) => {
      const m = machineOf(input['resourceArn']);
      return { tags: Object.entries(m.tags).map(([key, value]) => ({ key, value })) };
    },
    TagResource: (input) => {
      const m = machineOf(input['resourceArn']);
      Object.assign(m.tags, tagMap(input['tags']));
      return {};
    },
    UntagResource: (input) => {
      const m = machineOf(input['resourceArn']);
      for (const key of (input['tagKeys'] as string[] | undefined) ?? []) delete m.tags[key];
      return {};
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
      const result = await action(requestOf(body));
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
