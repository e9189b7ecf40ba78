export * from './value.ts';
export * from './workflow.ts';
export type * from './workload.ts';
export type * from './trace.ts';
export * from './platform.ts';
export * from './errors.ts';
export * from './condition.ts';
export * from './dag.ts';
export * from './window.ts';
