import { FOREIGN_ELSEWHERE, NODE_KINDS, native, type Capabilities } from '../../harness/model/index.ts';

/** Every node kind: the harness's interpreter is the definition of each (harness/semantics/interpret.ts). */
export const inlineCapabilities = Object.fromEntries(NODE_KINDS.map((kind) => [kind, kind === 'foreign' ? FOREIGN_ELSEWHERE : native()])) as Capabilities;
