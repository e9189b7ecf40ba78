/** Baton's reference runtime: a data-centric serverless runtime after Pheromone. */
export { RuntimeNode, type NodeOptions, type InvocationRecord, type SessionResult } from './node.ts';
export { appProblems, type AppSpec, type TriggerSpec, type Action } from './app.ts';
export type { DataObject } from './data-object.ts';
export { allocShared, isShared, toShared, sizeBytesOf, type RuntimeValue } from './value.ts';
