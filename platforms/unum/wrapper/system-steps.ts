/**
 * Baton's own IR nodes, which run no user code: `$spread` and `$collect` pass their
 * input on, `$first` keeps the first K branch outputs, `$group` groups a shuffle's
 * mapper outputs by key, `$window` cuts events into windows.
 */
import { decodeValue, encodeValue, windowsOf, type Value } from '../../../harness/model/index.ts';
import { groupByKey } from '../../../harness/adapter-kit/index.ts';
import type { UnumConfig } from '../ir.ts';

export function isSystemStep(config: UnumConfig): boolean {
  return config.Function.startsWith('$');
}

/** The output of a system step on `input`. */
export function runSystemStep(config: UnumConfig, input: unknown): unknown {
  switch (config.Function) {
    case '$spread':
    case '$collect':
      return input;
    case '$first':
      return (input as unknown[]).slice(0, config.K);
    case '$group':
      return groupByKey(input as unknown[]).map(({ key, values }) => ({ key, values }));
    case '$window':
      return windowsOf(decodeValue(input) as Value[], config.Window!).map((w) => encodeValue(w));
    default:
      throw new Error(`unknown Baton step '${config.Function}'`);
  }
}

/**
 * For a `$group`, the parents of each group: the mappers that contributed to its key
 * (`inputParents[i]` produced the i-th mapper output). Other steps: undefined.
 */
export function itemParents(config: UnumConfig, input: unknown, inputParents: readonly string[]): string[][] | undefined {
  if (config.Function !== '$group') return undefined;
  return groupByKey(input as unknown[], (i) => (inputParents[i] === undefined ? [] : [inputParents[i]])).map((g) => g.from);
}
