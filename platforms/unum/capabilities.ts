import { native, unsupported, type Capabilities } from '../../harness/model/index.ts';

const NOT_YET = 'not ported to Unum in Baton yet';

export const unumCapabilities: Capabilities = {
  task: native(),
  sequence: native(),
  parallel: native(),
  map: native(),
  choice: native(),
  dag: native(),
  shuffle: unsupported(`${NOT_YET} (Unum: fan-in + a store)`),
  window: unsupported('Unum has no stream windows'),
  firstOf: unsupported(`${NOT_YET} (Unum: a workaround)`),
  fold: native(),
};
