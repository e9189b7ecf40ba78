/** Functions for SeBS-Flow's 630.parallel-sleep: a buffer of sleep durations, each slept in parallel. */
import type { FunctionsModule } from '../../../../harness/model/index.ts';

export const functions: FunctionsModule['functions'] = {
  generate: (input) => {
    const { count, sleepMs } = input as { count: number; sleepMs: number };
    return { buffer: Array.from({ length: count }, () => sleepMs) };
  },
  process: async (ms) => {
    await new Promise((resolve) => setTimeout(resolve, ms as number));
    return ms;
  },
};
