/**
 * The deployment package of a workload's functions for Lambda: one ESM bundle
 * (esbuild) of an adapter's handler module and the workload's functions module,
 * zipped. The same zip goes to the local Lambda and to AWS; environment variables
 * pick the function. The handler module exports `createHandler(functions)`.
 */
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';
import { strToU8, zipSync } from 'fflate';

/** Bundles are built once per process: every cell of a workload deploys the same code. */
const built = new Map<string, Promise<Uint8Array>>();

export function buildPackage(functionsUrl: string, handlerUrl: string): Promise<Uint8Array> {
  const key = `${functionsUrl}\u0000${handlerUrl}`;
  let zip = built.get(key);
  if (!zip) {
    built.set(key, (zip = bundle(functionsUrl, handlerUrl)));
    zip.catch(() => built.delete(key));
  }
  return zip;
}

async function bundle(functionsUrl: string, handlerUrl: string): Promise<Uint8Array> {
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
  return zipSync({ 'index.mjs': strToU8(result.outputFiles[0]!.text) });
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
