import { FOREIGN_ELSEWHERE, NODE_KINDS, native, workaround, type Capabilities } from '../../harness/model/index.ts';

/** Every node kind maps to a trigger primitive of the runtime (see compile.ts). */
export const referenceCapabilities = Object.fromEntries(
  NODE_KINDS.map((kind) => [
    kind,
    kind === 'foreign'
      ? FOREIGN_ELSEWHERE
      : kind === 'try'
        ? workaround('a try action runs the body, and then a catch handler, as sub-sessions of the session: their calls join its trace')
        : native(),
  ]),
) as Capabilities;
