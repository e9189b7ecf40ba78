/** Types of Baton's local `@azure/functions-core` stand-in (see index.js). */
export interface FunctionMetadata {
  readonly name: string;
  readonly bindings: Readonly<Record<string, { readonly type: string; readonly direction: string }>>;
}
// biome-ignore lint/suspicious/noExplicitAny: the Functions host passes each trigger's own argument types; the real package's signature is this wide too.
export type FunctionCallback = (...args: any[]) => unknown;
export interface Registration {
  readonly metadata: FunctionMetadata;
  readonly callback: FunctionCallback;
}
export function setProgrammingModel(model: unknown): void;
export function getProgrammingModel(): unknown;
export function registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): { dispose(): void };
export function registerHook(hookName: string, callback: (context: unknown) => unknown): { dispose(): void };
export function log(level: string, category: string, message: string): void;
export function registrations(): ReadonlyMap<string, Registration>;
