/**
 * The Function App Baton deploys for one workflow: the two orchestrators and one
 * activity per workload function, registered through the real `durable-functions`
 * v3 programming model (`df.app.orchestration`, `df.app.activity`). Azure's worker
 * loads it the same way Baton's local host does: registrations go to
 * `@azure/functions-core`.
 */
import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { functionNamesOf, type FunctionsModule, type WorkflowNode } from '../../harness/model/index.ts';
import { runFunction, takeColdStart } from '../../harness/adapter-kit/index.ts';
import { STORAGE_SETTING, azureStorageAt, newAzureStorageBill, type AzureFunctionStorage, type AzureStorageAddress } from './function-storage.ts';
import {
  BRANCH_ORCHESTRATOR,
  WORKFLOW_ORCHESTRATOR,
  branchOrchestrator,
  workflowOrchestrator,
  type ActivityInput,
  type ActivityOutput,
} from './orchestrator.ts';

/** Azure Functions names: a letter, then letters, digits, `-` or `_`, at most 128. */
export const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

export function registerApp(graph: WorkflowNode, functions: FunctionsModule['functions']): void {
  df.app.orchestration(WORKFLOW_ORCHESTRATOR, workflowOrchestrator(graph));
  df.app.orchestration(BRANCH_ORCHESTRATOR, branchOrchestrator(graph));
  // The app setting BATON_STORAGE names the functions' own storage, when the workflow has any.
  const setting = process.env[STORAGE_SETTING];
  const storage = setting ? azureStorageAt(JSON.parse(setting) as AzureStorageAddress) : undefined;
  for (const name of functionNamesOf(graph)) {
    const fn = functions[name];
    if (!fn) throw new Error(`function '${name}' is not exported by the workload's functions module`);
    df.app.activity(name, { handler: activityHandler(name, fn, storage) });
  }
}

/** Runs one workload function and returns its output with what Baton records of the run. */
function activityHandler(name: string, fn: FunctionsModule['functions'][string], storage: AzureFunctionStorage | undefined) {
  return async (input: unknown, context: InvocationContext): Promise<ActivityOutput> => {
    const cold = takeColdStart();
    const { value, parents } = input as ActivityInput;
    const bill = newAzureStorageBill();
    const result = await runFunction({
      name,
      fn,
      encodedInput: value,
      parents,
      cold,
      invocationId: context.invocationId,
      log: (m) => context.log(m),
      ...(storage ? { storage: storage.for(bill) } : {}),
    });
    return { value: result.value, baton: { ...result.record, ...(result.record.storage ? { storageBill: bill } : {}) } };
  };
}
