export { UnumAdapter, UNUM_FAULTS } from './adapter.ts';
export { compileUnum } from './compile.ts';
export { unumCapabilities } from './capabilities.ts';
export type { UnumConfig, UnumIR, NextEntry, InputType } from './ir.ts';
