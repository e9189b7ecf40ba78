/** Baton's reference runtime: a data-centric serverless runtime after Pheromone. */
export { RuntimeNode, DEFAULT_STORE_BYTES, type NodeOptions, type InvocationRecord, type SessionResult } from './node.ts';
export { appProblems, type AppSpec, type TriggerSpec, type Action, type Target, type Condition } from './app.ts';
export type { DataObject } from './data-object.ts';
export { StoreFullError } from './store/arena.ts';
export { FileStore } from './durable/file-store.ts';
export type { StorageIo } from './durable/function-storage.ts';
export type { RuntimeValue } from './value.ts';
export { startGateway, type Gateway, type Invoker } from './gateway.ts';
export { Cluster, type ClusterOptions } from './cluster/cluster.ts';
export type { PlacementPolicy } from './cluster/placement.ts';
