/**
 * The on-failure destination of every Unum function: Lambda invokes it with the record of
 * an Event invocation whose retries ran out (the wrapper could not report the failure
 * itself: the process exited, ran out of memory or time), and it marks the session
 * failed where the client looks. Unum's runtime has the same role for its failure handler.
 */
import type { SessionStore } from './session-store.ts';
import type { UnumPayload } from './payload.ts';

/** The IR node name of the failure function (not a node of the workflow). */
export const FAILURE_NODE = '$failure';

/** Lambda's invocation record for a destination (the fields used here). */
export interface FailedInvocation {
  readonly requestContext?: { readonly functionArn?: string; readonly approximateInvokeCount?: number; readonly condition?: string };
  readonly requestPayload?: UnumPayload;
  readonly responsePayload?: { readonly errorType?: string; readonly errorMessage?: string };
}

export function isFailedInvocation(event: unknown): event is FailedInvocation {
  return typeof event === 'object' && event !== null && 'requestContext' in event && 'requestPayload' in event;
}

/** `nodeOf`: the IR node a Lambda function name runs. */
export async function recordFailure(
  record: FailedInvocation,
  storeOf: (session: string) => SessionStore,
  nodeOf: (fn: string) => string | undefined,
): Promise<void> {
  const session = record.requestPayload?.Session;
  if (!session) return;
  // arn:aws:lambda:REGION:ACCOUNT:function:NAME:QUALIFIER
  const name = record.requestContext?.functionArn?.split(':')[6] ?? '';
  const fn = nodeOf(name) ?? (name || 'a function');
  const error = record.responsePayload;
  const attempts = record.requestContext?.approximateInvokeCount ?? 1;
  await storeOf(session).writeError(
    `${fn} failed ${attempts} time${attempts === 1 ? '' : 's'} (${record.requestContext?.condition ?? 'RetriesExhausted'}): ${error?.errorType ?? 'Error'}: ${error?.errorMessage ?? ''}`,
  );
}
