/**
 * Loads a user's Function App the way Azure's Node.js worker does, in whichever thread
 * calls it (the host, each activity worker):
 * - the app is a module file, or a folder whose package.json `main` names its entry
 *   (a glob, as the v4 programming model allows: `dist/functions/*.js`);
 * - `@azure/functions-core`, which the worker injects and npm does not have, resolves to
 *   Baton's stand-in (the app's own `@azure/functions` registers through it);
 * - the app's own `node_modules` are honoured; an app without its own copy of
 *   `durable-functions` or `@azure/functions` (a lone file) gets Baton's.
 */
import { existsSync, globSync, readFileSync, statSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CORE = import.meta.resolve('@azure/functions-core');
const FALLBACKS = new Set(['durable-functions', '@azure/functions']);
const KEY = Symbol.for('baton.durable-app-hooks');

export class AppError extends Error {}

/** The module URLs of an app given as a file or folder path or a file URL. */
export function appModules(app: string): string[] {
  const path = app.startsWith('file:') ? fileURLToPath(app) : isAbsolute(app) ? app : resolve(app);
  if (!existsSync(path)) throw new AppError(`--app ${app}: no such file or folder`);
  if (!statSync(path).isDirectory()) return [pathToFileURL(path).href];
  const manifest = join(path, 'package.json');
  if (!existsSync(manifest)) throw new AppError(`--app ${app}: the folder has no package.json (expected one whose "main" names the app's entry)`);
  let main: unknown;
  try {
    main = (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: unknown }).main ?? 'index.js';
  } catch (error) {
    throw new AppError(`${manifest}: not JSON: ${(error as Error).message}`);
  }
  if (typeof main !== 'string') throw new AppError(`${manifest}: field "main": expected a file path or glob, got ${JSON.stringify(main)}`);
  const files = globSync(main, { cwd: path }).sort();
  if (files.length === 0) throw new AppError(`${manifest}: field "main" (${main}) matches no file: build the app first?`);
  return files.map((f) => pathToFileURL(join(path, f)).href);
}

/** Installs the resolution rules (once per thread) and imports the app's modules. */
export async function loadApp(modules: readonly string[]): Promise<void> {
  installHooks();
  for (const url of modules) await import(url);
}

function installHooks(): void {
  const scope = globalThis as { [KEY]?: boolean };
  if (scope[KEY]) return;
  scope[KEY] = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === '@azure/functions-core') return { url: CORE, shortCircuit: true };
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        if (!FALLBACKS.has(specifier) || (error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
        return nextResolve(specifier, { ...context, parentURL: pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'app-loader.ts')).href });
      }
    },
  });
}
