/**
 * One Lambda execution environment: a worker thread that loads the function's code
 * (unzipped into a folder) on its first invocation and keeps it while warm.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

interface Data {
  readonly codeDir: string;
  readonly handler: string;
  readonly functionName: string;
  readonly memoryMB: number;
  /** BATON_LAMBDA_SLOWDOWN_PCT of the stand-in's process. */
  readonly slowdownPct: number;
}
type Handler = (event: unknown, context: unknown) => unknown;

const data = workerData as Data;
const port = parentPort!;
let handler: Handler | undefined;

async function load(): Promise<Handler> {
  const dot = data.handler.lastIndexOf('.');
  const [file, exportName] = [data.handler.slice(0, dot), data.handler.slice(dot + 1)];
  for (const extension of ['.mjs', '.js', '.cjs']) {
    try {
      const mod = (await import(pathToFileURL(join(data.codeDir, file + extension)).href)) as Record<string, unknown>;
      const fn = mod[exportName];
      if (typeof fn !== 'function') throw new Error(`Runtime.HandlerNotFound: ${file}.${exportName} is undefined or not exported`);
      return fn as Handler;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    }
  }
  throw new Error(`Runtime.ImportModuleError: Cannot find module '${file}'`);
}

/**
 * A testing knob for regression gates (`BATON_LAMBDA_SLOWDOWN_PCT`), as the reference
 * runtime's: after each handler, the environment spins for this percent of the handler's
 * run time, as a slower function would. Unset (0) in every normal run.
 */
const SLOWDOWN_PCT = data.slowdownPct;

function slowDown(sinceNs: bigint): void {
  if (SLOWDOWN_PCT <= 0) return;
  const until = process.hrtime.bigint() + ((process.hrtime.bigint() - sinceNs) * BigInt(Math.round(SLOWDOWN_PCT * 100))) / 10_000n;
  while (process.hrtime.bigint() < until) {
    /* busy: the slowdown costs CPU, as real slowness would */
  }
}

port.on('message', async (message: { requestId: string; event: unknown; deadlineMs: number }) => {
  try {
    handler ??= await load();
    const context = {
      functionName: data.functionName,
      awsRequestId: message.requestId,
      memoryLimitInMB: String(data.memoryMB),
      getRemainingTimeInMillis: () => message.deadlineMs - Date.now(),
    };
    const startNs = process.hrtime.bigint();
    const result = await handler(message.event, context);
    slowDown(startNs);
    port.postMessage({ requestId: message.requestId, result: result === undefined ? null : result });
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    const trace = (err.stack ?? '').split('\n');
    port.postMessage({
      requestId: message.requestId,
      error: { errorType: err.name === 'Error' && /^Runtime\.\w+:/.test(err.message) ? err.message.split(':')[0] : err.name, errorMessage: err.message, trace },
    });
  }
});
