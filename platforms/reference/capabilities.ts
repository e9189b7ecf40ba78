import { native, unsupported, type Capabilities } from '../../harness/model/index.ts';

const NOT_YET = 'this runtime version has only the Immediate, BySet and DynamicJoin triggers';

export const referenceCapabilities: Capabilities = {
  task: native(),
  sequence: native(),
  parallel: native(),
  map: native(),
  choice: unsupported(`${NOT_YET} (needs ByName)`),
  dag: unsupported(`${NOT_YET} (needs BySet over named parents)`),
  shuffle: unsupported(`${NOT_YET} (needs DynamicGroup)`),
  window: unsupported(`${NOT_YET} (needs ByBatchSize / ByTime)`),
  firstOf: unsupported(`${NOT_YET} (needs Redundant)`),
  fold: unsupported(`${NOT_YET} (needs an Immediate self-loop)`),
};
