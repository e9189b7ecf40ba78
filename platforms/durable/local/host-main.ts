/**
 * The local Durable host as a process of its own (a Function App on one machine):
 *   node host-main.ts --app PATH [--store DIR] [--port N] [--workers N] [--concurrency N] [--max-instance-mb N]
 * `--app` is the app: a module file (path or file URL) or a folder whose package.json
 * `main` names its modules (`app-loader.ts`); importing them registers the app's
 * functions. Prints one JSON line when ready: `{ durable, url, key, clientData }`
 * (clientData is what a `durableClient` binding would receive), and on stderr any
 * stored instance it could not read. SIGTERM or SIGINT stops it; SIGKILL is a crash, and
 * a restart on the same store resumes.
 */
import { parseArgs } from 'node:util';
import { registrations } from '@azure/functions-core';
import { ActivityPool } from './activity-pool.ts';
import { AppError, appModules, loadApp } from './app-loader.ts';
import { DurableHost } from './host.ts';
import { serveHostApi } from './http-api.ts';

const USAGE = 'usage: host-main.ts --app PATH [--store DIR] [--port N] [--workers N] [--concurrency N] [--max-instance-mb N]\n';
const { values } = parseArgs({
  options: {
    app: { type: 'string' },
    store: { type: 'string' },
    port: { type: 'string' },
    workers: { type: 'string' },
    concurrency: { type: 'string' },
    'max-instance-mb': { type: 'string' },
  },
});
if (!values.app) {
  process.stderr.write(USAGE);
  process.exit(2);
}
let modules: string[];
try {
  modules = appModules(values.app);
} catch (error) {
  if (!(error instanceof AppError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
await loadApp(modules);
if (registrations().size === 0) {
  // As the Functions host says "No job functions found": an app that registered nothing is a mistake, not an empty app.
  process.stderr.write(`--app ${values.app}: the app registered no functions (${modules.length} module(s) loaded); does it call df.app.* / app.*?\n`);
  process.exit(2);
}
const count = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (Number.isInteger(n) && n > 0) return n;
  process.stderr.write(`--${name} ${text}: expected a whole number above 0\n${USAGE}`);
  process.exit(2);
};
const activities = new ActivityPool(JSON.stringify(modules), {
  workers: count('workers', values.workers),
  concurrency: count('concurrency', values.concurrency),
});
const maxMbText = values['max-instance-mb'];
const maxMb = maxMbText === undefined ? undefined : Number(maxMbText);
if (maxMb !== undefined && !(maxMb > 0)) {
  process.stderr.write(`--max-instance-mb ${maxMbText}: expected a number of MB above 0\n${USAGE}`);
  process.exit(2);
}
// The Functions host names itself to the app (getClient keeps webhook URLs on this origin only when it is set).
const host = new DurableHost({ storeDir: values.store, activities, ...(maxMb ? { maxInstanceDataBytes: maxMb * 2 ** 20 } : {}) });
host.recover();
for (const damaged of host.damaged) process.stderr.write(`baton durable host: left out ${damaged.file}: ${damaged.reason}\n`);
const api = await serveHostApi(host, activities, { port: count('port', values.port) ?? 0, appModule: modules[0]! });
process.env.WEBSITE_HOSTNAME = new URL(api.url).host;
process.stdout.write(`${JSON.stringify({ durable: api.url, url: api.url, key: api.key, clientData: api.clientData })}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void Promise.all([api.close(), host.close()]).finally(() => process.exit(0));
  });
}
