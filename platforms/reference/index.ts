export { ReferenceAdapter, type ReferenceOptions } from './adapter.ts';
export { compile } from './compile.ts';
export { referenceCapabilities } from './capabilities.ts';
