/**
 * What adapters share, written once: the capability and target check, the function
 * wrapper that times user code and builds invocation records, poll-until-done, shuffle
 * grouping, the model interpreter that tracks each value's producers (for adapters that
 * orchestrate in-process), and the stand-ins' HTTP helpers. Platforms import this and
 * harness/model, nothing else of the harness (.dependency-cruiser.cjs).
 */
export { assertDeployable } from './deployable.ts';
export { invocationOf, type FunctionRecord } from './function-record.ts';
export { WORKER_ID, callFunction, runFunction, takeColdStart, type FunctionCall, type FunctionResult, type FunctionRun } from './run-function.ts';
export { interpret, type Call, type Produced } from '../semantics/interpret.ts';
export { pollUntil, type PollOptions } from './poll.ts';
export { groupByKey, type Grouped } from './group-by-key.ts';
export { makeTempDir, sweepStaleTempDirs } from './temp-dirs.ts';
export { memoryStorage, byBytes, type MemoryStorage } from './memory-storage.ts';
export { addUsage } from './usage.ts';
export { CPU_SHARE_ENV, FULL_VCPU_MB, cpuShareOf, throttleMs } from './cpu-share.ts';
