export { UnumAdapter, UNUM_FAULTS } from './adapter.ts';
export { compileUnum } from './compile.ts';
export { unumCapabilities } from './capabilities.ts';
export type { UnumConfig, UnumIR, NextEntry, InputType } from './ir.ts';
export { writeUnumAslProject, writeUnumProject } from './project.ts';
export { compileUnumIr, type UnumFunctionConfig } from './unum-compiler.ts';
