export { AsfAdapter, type AsfOptions } from './adapter.ts';
export { compileAsl } from './compile.ts';
export { asfCapabilities } from './capabilities.ts';
