/** What every importer needs: JSON files read with errors that name them, and the oracle as verify. */
import { readFileSync } from 'node:fs';
import { InputError } from '../model/errors.ts';
import type { Value, VerifyResult, WorkflowNode } from '../model/index.ts';
import { evaluate, type Functions } from '../semantics/evaluate.ts';

export function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(
      'E_BAD_INPUT',
      `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(error as Error).message})`}`,
    );
  }
}

/** An imported workflow has no verify of its own: right means what Baton's oracle computes for the same graph and input. */
export function oracleVerify(graph: WorkflowNode, input: Value, functionsUrl: string): (output: Value) => Promise<VerifyResult> {
  return async (output) => {
    const { functions } = (await import(functionsUrl)) as { functions: Functions };
    const expected = await evaluate(graph, input, functions);
    return JSON.stringify(output) === JSON.stringify(expected)
      ? { ok: true }
      : { ok: false, reason: `output ${JSON.stringify(output).slice(0, 300)}, expected ${JSON.stringify(expected).slice(0, 300)}` };
  };
}
