/**
 * dataPassing=nested: no orchestrator. Each function of a chain invokes the next itself
 * (Lambda RequestResponse) and waits for it; the first returns the last one's value and
 * every record (handler.ts). What a nested call can carry is Lambda's synchronous payload
 * limit, 6 MB, each way.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { UnsupportedError, WorkflowFailedError, type WorkflowNode } from '../../harness/model/index.ts';
import type { AwsClients } from './clients.ts';
import type { BatonRecord, Envelope, NestedResult } from './handler.ts';

/** The functions of a chain, first to last; a workflow that is not one cannot be nested. */
export function chainOf(graph: WorkflowNode): string[] {
  if (graph.kind === 'task') return [graph.fn];
  if (graph.kind === 'sequence' && graph.steps.every((step) => step.kind === 'task')) return graph.steps.map((step) => (step as { fn: string }).fn);
  throw new UnsupportedError(
    `dataPassing=nested: each function invokes the next one, which a chain of functions (a sequence of tasks) can do; this workflow is a ${graph.kind}${graph.kind === 'sequence' ? ' with other steps than tasks' : ''}`,
  );
}

const LIMIT = 'a nested Lambda call carries at most 6 MB each way (the RequestResponse payload limit)';

/** Invokes the chain's first function and waits; returns the last value and every record. */
export async function invokeChain(aws: AwsClients, first: string, payload: string): Promise<NestedResult> {
  const answer = await aws.lambda
    .send(new InvokeCommand({ FunctionName: first, InvocationType: 'RequestResponse', Payload: payload }))
    .catch((error: Error) => {
      throw error.name === 'RequestTooLargeException' ? new UnsupportedError(`the workflow input is too large: ${LIMIT}`) : error;
    });
  const text = Buffer.from(answer.Payload ?? new Uint8Array()).toString('utf8');
  if (answer.FunctionError) {
    if (/RequestTooLargeException|Request must be smaller than|ResponseSizeTooLarge/.test(text))
      throw new UnsupportedError(`a function's output is too large: ${LIMIT}`);
    const { errorType, errorMessage } = JSON.parse(text) as { errorType?: string; errorMessage?: string };
    throw new WorkflowFailedError(`${errorType ?? 'Error'}: ${errorMessage ?? text}`);
  }
  const result = JSON.parse(text) as Envelope | NestedResult;
  return 'records' in result ? result : { value: result.value, records: [result.baton] };
}

/** One request per function and each one's billed time: the callers' waits are billed too. */
export function nestedUsage(records: readonly BatonRecord[], memoryMB: number): Record<string, number> {
  const gbSeconds = records.reduce((sum, r) => sum + (Math.max(1, r.billedMs ?? 1) / 1000) * (memoryMB / 1024), 0);
  return { 'aws.lambda.request': records.length, 'aws.lambda.gbSecond': gbSeconds };
}
