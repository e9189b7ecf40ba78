import { FOREIGN_ELSEWHERE, native, workaround, type Capabilities } from '../../harness/model/index.ts';

export const durableCapabilities: Capabilities = {
  task: native(),
  sequence: native(),
  parallel: native(),
  map: native(),
  choice: native(),
  dag: workaround(
    'runs level by level, one Task.all per level: the JS SDK cannot wait on "the next of the running tasks" more than once (a task passed to a second Task.any is scheduled again, azure-functions-durable-js#574)',
  ),
  shuffle: native(),
  window: workaround(
    'events arrive with the workflow input: the orchestrator groups them into windows and runs one activity per window (Task.all); there is no stream source',
  ),
  firstOf: workaround(
    'k = 1 is Task.any; for k > 1 the orchestrator waits for all branches and keeps the k that ended first by their recorded end (a second Task.any over running tasks would schedule them again)',
  ),
  fold: native(),
  try: workaround(
    "try/catch around the body, durable timers between attempts; an activity keeps Baton's default retry (3 attempts, 50 ms doubling) before the try sees its error",
  ),
  foreign: FOREIGN_ELSEWHERE,
};
