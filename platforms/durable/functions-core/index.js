/**
 * Baton's local stand-in for `@azure/functions-core`, the module the Azure Functions
 * Node.js worker injects into an app at run time (it is not published on npm).
 * `@azure/functions` calls it to register every function of the app; this stand-in
 * keeps the registrations, per thread, so Baton's local Durable host can call the
 * real handlers that `durable-functions` built. It implements only what the
 * programming model v4 uses: setProgrammingModel, registerFunction, registerHook, log.
 */
const KEY = Symbol.for('baton.azure-functions-core');
const state = globalThis[KEY] || (globalThis[KEY] = { model: undefined, functions: new Map(), hooks: [] });

exports.setProgrammingModel = function setProgrammingModel(model) {
  state.model = model;
};

exports.getProgrammingModel = function getProgrammingModel() {
  return state.model;
};

exports.registerFunction = function registerFunction(metadata, callback) {
  if (state.functions.has(metadata.name)) throw new Error(`A function named '${metadata.name}' is already registered`);
  state.functions.set(metadata.name, { metadata, callback });
  return { dispose: () => state.functions.delete(metadata.name) };
};

exports.registerHook = function registerHook(hookName, callback) {
  const hook = { hookName, callback };
  state.hooks.push(hook);
  return { dispose: () => state.hooks.splice(state.hooks.indexOf(hook), 1) };
};

exports.log = function log(level, category, message) {
  if (level === 'error' || level === 'critical' || level === 'warning') process.stderr.write(`[${category}] ${message}\n`);
};

/** Baton's addition: every function the app registered in this thread, by name. */
exports.registrations = function registrations() {
  return state.functions;
};
