/**
 * The deployment package of a workload's functions for Lambda: one ESM bundle
 * (esbuild) of an adapter's handler module and the workload's functions module,
 * zipped, with any files the adapter adds beside it (read at start-up from the
 * bundle's directory, e.g. a workflow description too large for Lambda's 4 KB of
 * environment). The same zip goes to the local Lambda and to AWS; environment variables
 * pick the function. The handler module exports `createHandler(functions)`.
 */
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';
import { strToU8, zipSync } from 'fflate';

/** Bundles are built once per process: every cell of a workload deploys the same code. */
const built = new Map<string, Promise<string>>();

export async function buildPackage(functionsUrl: string, handlerUrl: string, files: Readonly<Record<string, string>> = {}): Promise<Uint8Array> {
  const key = `${functionsUrl}\u0000${handlerUrl}`;
  let code = built.get(key);
  if (!code) {
    built.set(key, (code = bundle(functionsUrl, handlerUrl)));
    code.catch(() => built.delete(key));
  }
  const text = await code;
  return zipSync({ ...Object.fromEntries(Object.entries(files).map(([name, content]) => [name, strToU8(content)])), 'index.mjs': strToU8(text) });
}

async function bundle(functionsUrl: string, handlerUrl: string): Promise<string> {
  const entry = [
    `import { functions } from ${JSON.stringify(fileURLToPath(functionsUrl))};`,
    `import { createHandler } from ${JSON.stringify(fileURLToPath(handlerUrl))};`,
    'export const handler = createHandler(functions);',
  ].join('\n');
  const result = await withService(() =>
    build({
      stdin: { contents: entry, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'ts', sourcefile: 'index.ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      write: false,
      logLevel: 'silent',
      // Bundled CommonJS (the AWS SDK) requires Node built-ins; an ES module needs a `require` for that.
      banner: { js: "import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);" },
    }),
  );
  return result.outputFiles[0]!.text;
}

/**
 * esbuild runs its work in a service child process; if that process dies (killed, out of
 * memory), every later call fails with "The service was stopped". Stopping the client
 * lets the next call start a new service, so one retry recovers.
 */
async function withService<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!/service (was stopped|is no longer running)/i.test(String((error as Error).message))) throw error;
    await stop();
    return work();
  }
}
