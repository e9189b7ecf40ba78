/**
 * The trace of a Step Functions execution, rebuilt from its history: every Lambda
 * result is an envelope with the function-side timing and the ids it consumed.
 */
import type { Trace } from '../../harness/model/index.ts';
import { invocationOf } from '../../harness/adapter-kit/index.ts';
import { isEnvelope, type BatonRecord } from './handler.ts';

interface HistoryEventLike {
  readonly type?: string;
  readonly lambdaFunctionSucceededEventDetails?: { readonly output?: string };
  readonly taskSucceededEventDetails?: { readonly output?: string };
}

export function traceFromHistory(events: readonly HistoryEventLike[], clock: Trace['clock']): Trace {
  return { clock, invocations: recordsFromHistory(events).map((r) => invocationOf(r, clock)) };
}

/** The record of every user function's run in the history (`withSystem`: Baton's own steps' too), in the order they ended. */
export function recordsFromHistory(events: readonly HistoryEventLike[], withSystem = false): BatonRecord[] {
  const records: BatonRecord[] = [];
  for (const event of events) {
    const text =
      event.type === 'LambdaFunctionSucceeded'
        ? event.lambdaFunctionSucceededEventDetails?.output
        : event.type === 'TaskSucceeded'
          ? event.taskSucceededEventDetails?.output
          : undefined;
    if (text === undefined) continue;
    const json = JSON.parse(text) as unknown;
    const envelope = isEnvelope(json) ? json : isEnvelope((json as { Payload?: unknown })?.Payload) ? (json as { Payload: unknown }).Payload : undefined;
    if (isEnvelope(envelope) && (withSystem || !envelope.baton.system)) records.push(envelope.baton);
  }
  return records;
}

/**
 * What a Standard execution is billed for: one state transition per state entered,
 * and per Lambda invocation (Baton's own grouping step included) one request and the
 * whole handler's duration, rounded up to the millisecond, at the configured memory.
 */
export function usageFromHistory(events: readonly (HistoryEventLike & { readonly type?: string })[], memoryMB: number): Record<string, number> {
  let transitions = 0;
  let requests = 0;
  let gbSeconds = 0;
  for (const event of events) {
    if (event.type?.endsWith('StateEntered')) transitions++;
    const text =
      event.type === 'LambdaFunctionSucceeded'
        ? event.lambdaFunctionSucceededEventDetails?.output
        : event.type === 'TaskSucceeded'
          ? event.taskSucceededEventDetails?.output
          : undefined;
    if (event.type === 'LambdaFunctionFailed' || event.type === 'TaskFailed') requests++;
    if (text === undefined) continue;
    requests++;
    const json = JSON.parse(text) as unknown;
    const envelope = isEnvelope(json) ? json : (json as { Payload?: unknown })?.Payload;
    if (isEnvelope(envelope)) {
      const userCodeMs = Math.ceil(Number(BigInt(envelope.baton.endNs) - BigInt(envelope.baton.startNs)) / 1e6);
      gbSeconds += (Math.max(1, envelope.baton.billedMs ?? userCodeMs) / 1000) * (memoryMB / 1024);
    }
  }
  return { 'aws.sfn.standard.transition': transitions, 'aws.lambda.request': requests, 'aws.lambda.gbSecond': gbSeconds };
}
