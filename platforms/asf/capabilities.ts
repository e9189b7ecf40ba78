import { FOREIGN_ELSEWHERE, native, workaround, type Capabilities } from '../../harness/model/index.ts';

export const asfCapabilities: Capabilities = {
  task: native(),
  sequence: native(),
  parallel: native(),
  map: native(),
  choice: native(),
  dag: workaround('level barriers: one Parallel state per level of the DAG, outputs accumulated in the state payload'),
  shuffle: workaround('Map over mappers, a Baton grouping Lambda, Map over reducers; groups travel in the state payload (256 KB limit on AWS), not S3'),
  window: workaround('events arrive with the input: a Baton Lambda cuts them into windows, a Map runs the function per window (no Kinesis or SQS source)'),
  firstOf: workaround('a Parallel state runs every branch to the end, then the first k in branch order are kept'),
  fold: workaround('a Choice loop over an index with States.ArrayGetItem and States.MathAdd'),
  try: workaround(
    'the body in a one-branch Parallel state with Retry and Catch; ASL counts retry intervals in whole seconds, so intervalMs is rounded up to a second',
  ),
  foreign: FOREIGN_ELSEWHERE,
};
