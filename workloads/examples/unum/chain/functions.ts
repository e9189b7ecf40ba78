/**
 * Unum's chain benchmark (LedgeDash/unum-appstore chain/unum): one function, ChainPass,
 * that invokes itself `Size - 1` times (its IR: `Conditional: "$0 < $size-1"`, `Next
 * Payload Modifiers: ["$0=$0+1"]`) and returns its input unchanged, as the app store's
 * `return event` does. Verify: the last link's output is the first event's value.
 */
import type { FunctionsModule, Value, VerifyResult } from '../../../../harness/model/index.ts';

export const functions: FunctionsModule['functions'] = {
  ChainPass: (input) => input,
};

export function verify(output: Value, input: Value): VerifyResult {
  return JSON.stringify(output) === JSON.stringify(input)
    ? { ok: true }
    : { ok: false, reason: `the chain's output ${JSON.stringify(output).slice(0, 120)} is not its input` };
}
