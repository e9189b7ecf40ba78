export { DurableAdapter, DURABLE_FAULTS, type DurableDeployment } from './adapter.ts';
export { durableCapabilities } from './capabilities.ts';
export { writeFunctionApp } from './function-app.ts';
export { serveDurable } from './serve.ts';
