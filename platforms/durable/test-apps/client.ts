/**
 * What the Durable host's tests use to drive it: the real SDK client (`df.getClient`)
 * over the host's client data, as a function with a `durableClient` binding gets it,
 * and the status API read directly where the SDK has no call for it (the history).
 */
import type * as df from 'durable-functions';
import { durableClient } from '../client.ts';
import type { DurableClientData } from '../webhooks.ts';

/** The SDK's client over a host's client data, as a `durableClient` binding gets it. */
export const clientFor = durableClient;

const ENDED = ['Completed', 'Failed', 'Terminated'];

/** Polls until the instance has ended (or is in one of `until`). */
export async function finished(
  client: df.DurableClient,
  id: string,
  timeoutMs = 20_000,
  until: readonly string[] = ENDED,
): Promise<df.DurableOrchestrationStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await client.getStatus(id);
    if (until.includes(status.runtimeStatus)) return status;
    if (Date.now() > deadline) throw new Error(`instance ${id} still ${status.runtimeStatus} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface HistoryEntry {
  readonly EventType: string;
  readonly EventId: number;
  readonly Name?: string;
  readonly TaskScheduledId?: number;
  readonly FireAt?: string;
  readonly InstanceId?: string;
  readonly Result?: unknown;
  readonly Input?: unknown;
  readonly Reason?: string;
  readonly FailureDetails?: { readonly ErrorType: string; readonly ErrorMessage: string; readonly StackTrace?: string };
}

export async function historyOf(clientData: DurableClientData, id: string): Promise<HistoryEntry[]> {
  const response = await fetch(`${clientData.rpcBaseUrl}instances/${encodeURIComponent(id)}?showHistory=true&showHistoryOutput=true`);
  return ((await response.json()) as { historyEvents: HistoryEntry[] }).historyEvents;
}
