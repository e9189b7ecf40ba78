/**
 * The trace of a Step Functions execution, rebuilt from its history: every Lambda
 * result is an envelope with the function-side timing and the ids it consumed.
 */
import type { InvocationRecord, Trace } from '../../harness/model/index.ts';
import { isEnvelope, type BatonRecord } from './handler.ts';

interface HistoryEventLike {
  readonly type?: string;
  readonly lambdaFunctionSucceededEventDetails?: { readonly output?: string };
  readonly taskSucceededEventDetails?: { readonly output?: string };
}

export function traceFromHistory(events: readonly HistoryEventLike[], clock: Trace['clock']): Trace {
  const records: BatonRecord[] = [];
  for (const event of events) {
    const text = event.type === 'LambdaFunctionSucceeded' ? event.lambdaFunctionSucceededEventDetails?.output
      : event.type === 'TaskSucceeded' ? event.taskSucceededEventDetails?.output : undefined;
    if (text === undefined) continue;
    const json = JSON.parse(text) as unknown;
    const envelope = isEnvelope(json) ? json : isEnvelope((json as { Payload?: unknown })?.Payload) ? (json as { Payload: unknown }).Payload : undefined;
    if (isEnvelope(envelope) && !envelope.baton.system) records.push(envelope.baton);
  }
  const ns = (r: BatonRecord, which: 'start' | 'end'): bigint =>
    clock === 'monotonic' ? BigInt(which === 'start' ? r.startNs : r.endNs) : BigInt(which === 'start' ? r.startEpochMs : r.endEpochMs) * 1_000_000n;
  const invocations: InvocationRecord[] = records.map((r) => ({
    fn: r.fn, id: r.id, attempt: 1, startNs: ns(r, 'start'), endNs: ns(r, 'end'),
    inBytes: r.inBytes, outBytes: r.outBytes, worker: r.worker, cold: r.cold, parents: r.parents,
  }));
  return { clock, invocations };
}
