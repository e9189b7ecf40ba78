/**
 * Tiny functions for the conformance probes: numbers in, numbers out, so that the
 * expected output of every probe is obvious and computed by the oracle.
 */
import { FunctionError, type CaughtError, type FunctionsModule, type Value } from '../model/index.ts';

const num = (value: Value, fn: string): number => {
  if (typeof value !== 'number') throw new Error(`${fn}: expected a number, got ${JSON.stringify(value)}`);
  return value;
};
const field = (value: Value, key: string): Value => (value as Record<string, Value>)[key]!;

let failedOnce = false;

export const functions: FunctionsModule['functions'] = {
  inc: (input) => num(input, 'inc') + 1,
  double: (input) => num(input, 'double') * 2,
  range: (input) => Array.from({ length: num(input, 'range') }, (_, i) => i),
  sum: (input) => (input as Value[]).reduce<number>((total, v) => total + num(v, 'sum'), 0),
  fail: () => {
    throw new Error('probe failure');
  },
  /** Throws the first time it runs in a sandbox, then passes its input on: a transient failure for platforms that retry. */
  failOnce: (input) => {
    if (!failedOnce) {
      failedOnce = true;
      throw new Error('probe transient failure');
    }
    return input;
  },
  /** Ends the process (or thread) it runs in, as a buggy function might. */
  exitProcess: () => process.exit(3),
  /** Kills the process it runs in (a reference cluster node, in tests): never run it in the harness's own process. */
  killHost: () => process.kill(process.pid, 'SIGKILL'),
  /** Never returns (a hung function, for deadline tests). */
  hang: () => new Promise<Value>(() => {}),
  /** dag task: the sum of its numeric inputs plus its args. */
  dagNode: (input) => {
    const inputs = field(input, 'inputs') as Record<string, Value>;
    return Object.values(inputs).reduce<number>((total, v) => total + num(v, 'dagNode'), 0) + num(field(input, 'args') ?? 0, 'dagNode');
  },
  parity: (input) => ({ [String(num(input, 'parity') % 2)]: input }),
  total: (input) => ({ key: field(input, 'key'), total: (field(input, 'values') as Value[]).reduce<number>((t, v) => t + num(v, 'total'), 0) }),
  windowSum: (input) => (field(input, 'events') as Value[]).reduce<number>((t, e) => t + num(field(e, 'v'), 'windowSum'), 0),
  /** `[...]` -> a fold's input over those items, from state 0. */
  foldInput: (input) => ({ items: input, state: 0 }),
  /** An object's values, in key order (a dag's sinks -> an array). */
  values: (input) =>
    Object.keys(input as Record<string, Value>)
      .sort()
      .map((k) => field(input, k)),
  /** Passes a number of at least 10 on; a smaller one fails with the error name TooSmall (a try's retry and catch match it). */
  atLeastTen: (input) => {
    if (num(input, 'atLeastTen') < 10) throw new FunctionError('TooSmall', `${String(input)} is below 10`);
    return input;
  },
  /** A try's catch handler: what failed, and the try's input plus 100. */
  recover: (input) => {
    const caught = input as unknown as CaughtError;
    if (caught.error !== 'TooSmall' || caught.cause !== `${String(caught.input)} is below 10`) throw new Error(`recover: caught ${JSON.stringify(caught)}`);
    return num(caught.input, 'recover') + 100;
  },
  foldStep: (input) => num(field(input, 'state'), 'foldStep') + num(field(input, 'item'), 'foldStep') * (num(field(input, 'index'), 'foldStep') + 1),
};
