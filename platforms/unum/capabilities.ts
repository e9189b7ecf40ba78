import { native, unsupported, workaround, type Capabilities } from '../../harness/model/index.ts';

export const unumCapabilities: Capabilities = {
  task: native(),
  sequence: native(),
  parallel: native(),
  map: native(),
  choice: native(),
  dag: native(),
  shuffle: workaround('mappers fan in to a Baton grouping step that fans out to the reducers; mapper outputs wait in their DynamoDB checkpoints'),
  window: workaround("events arrive with the input: Baton's $window step cuts them into windows and fans out to the function per window (no stream source)"),
  firstOf: workaround('every branch runs to the end and fans in; the first k outputs in branch order are kept'),
  fold: native(),
  try: unsupported("not compiled to Unum yet: its runtime retries a failed invocation through Lambda, but catch handlers are not in Baton's port"),
  foreign: native(), // Unum's IR written by hand (format 'unum-ir'), run as it is
};
