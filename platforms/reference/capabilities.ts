import { FOREIGN_ELSEWHERE, NODE_KINDS, native, unsupported, type Capabilities } from '../../harness/model/index.ts';

/** Every node kind maps to a trigger primitive of the runtime (see compile.ts). */
export const referenceCapabilities = Object.fromEntries(
  NODE_KINDS.map((kind) => [
    kind,
    kind === 'foreign'
      ? FOREIGN_ELSEWHERE
      : kind === 'try'
        ? unsupported('the runtime has no error trigger yet: a failed function fails its session')
        : native(),
  ]),
) as Capabilities;
