/**
 * The Function App Baton deploys for one workflow: the two orchestrators and one
 * activity per workload function, registered through the real `durable-functions`
 * v3 programming model (`df.app.orchestration`, `df.app.activity`). Azure's worker
 * loads it the same way Baton's local host does: registrations go to
 * `@azure/functions-core`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { decodeValue, encodeValue, functionNamesOf, jsonSizeBytes, type FunctionsModule, type WorkflowNode } from '../../harness/model/index.ts';
import {
  BRANCH_ORCHESTRATOR, WORKFLOW_ORCHESTRATOR, branchOrchestrator, workflowOrchestrator,
  type ActivityInput, type ActivityOutput,
} from './orchestrator.ts';

/** Azure Functions names: a letter, then letters, digits, `-` or `_`, at most 128. */
export const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

export function registerApp(graph: WorkflowNode, functions: FunctionsModule['functions']): void {
  df.app.orchestration(WORKFLOW_ORCHESTRATOR, workflowOrchestrator(graph));
  df.app.orchestration(BRANCH_ORCHESTRATOR, branchOrchestrator(graph));
  for (const name of functionNamesOf(graph)) {
    const fn = functions[name];
    if (!fn) throw new Error(`function '${name}' is not exported by the workload's functions module`);
    df.app.activity(name, { handler: activityHandler(name, fn) });
  }
}

const WORKER = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
let cold = true;

/** Runs one workload function and returns its output with what Baton records of the run. */
function activityHandler(name: string, fn: FunctionsModule['functions'][string]) {
  return async (input: unknown, context: InvocationContext): Promise<ActivityOutput> => {
    const wasCold = cold;
    cold = false;
    const { value, parents } = input as ActivityInput;
    const decoded = decodeValue(value);
    const ctx = { invocationId: context.invocationId, log: (m: string) => context.log(m), now: () => process.hrtime.bigint(), alloc: (n: number) => new Uint8Array(n) };
    const startEpochMs = Date.now();
    const startNs = process.hrtime.bigint();
    const output = await fn(decoded, ctx);
    const endNs = process.hrtime.bigint();
    const encoded = encodeValue(output);
    return {
      value: encoded,
      baton: {
        id: randomUUID(), fn: name, startNs: String(startNs), endNs: String(endNs), startEpochMs, endEpochMs: Date.now(), cold: wasCold,
        worker: WORKER, parents, inBytes: jsonSizeBytes(value ?? null), outBytes: jsonSizeBytes(encoded ?? null),
      },
    };
  };
}

