/**
 * The workflow description every Unum function needs (each node's configuration and the
 * Lambda name of every node), shipped as a file in the deployment package beside the
 * bundle: Lambda gives a function only 4 KB of environment variables.
 */
import { readFileSync } from 'node:fs';
import type { UnumConfig } from '../ir.ts';

export const UNUM_WORKFLOW_FILE = 'unum-workflow.json';

export interface UnumWorkflowFile {
  readonly configs: Record<string, UnumConfig>;
  readonly functions: Record<string, string>;
}

/** Read once per execution environment, at start-up, from the directory of the running bundle. */
export function readWorkflowFile(bundleUrl: string): UnumWorkflowFile {
  const url = new URL(UNUM_WORKFLOW_FILE, bundleUrl);
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as UnumWorkflowFile;
  } catch (error) {
    throw new Error(`the Unum workflow description ${url.pathname} is missing from the deployment package or is not JSON: ${(error as Error).message}`);
  }
}
