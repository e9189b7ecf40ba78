/**
 * The local Durable host as a process of its own (a Function App on one machine):
 *   node host-main.ts --app URL [--store DIR] [--port N] [--workers N] [--max-instance-mb N]
 * `--app` is the app's entry module: importing it registers the app's functions
 * (`df.app.orchestration`, `df.app.activity`). Prints one JSON line when ready:
 * `{ url, clientData }` (clientData is what a `durableClient` binding would receive).
 * SIGTERM stops it; SIGKILL is a crash, and a restart on the same store resumes.
 */
import { parseArgs } from 'node:util';
import { ActivityPool } from './activity-pool.ts';
import { DurableHost } from './host.ts';
import { serveHostApi } from './http-api.ts';

const { values } = parseArgs({
  options: { app: { type: 'string' }, store: { type: 'string' }, port: { type: 'string' }, workers: { type: 'string' }, 'max-instance-mb': { type: 'string' } },
});
if (!values.app) {
  process.stderr.write('usage: host-main.ts --app URL [--store DIR] [--port N] [--workers N]\n');
  process.exit(2);
}
await import(values.app);
const activities = new ActivityPool(values.app, Number(values.workers ?? 32));
const maxMb = values['max-instance-mb'];
const host = new DurableHost({ storeDir: values.store, activities, ...(maxMb ? { maxInstanceDataBytes: Number(maxMb) * 2 ** 20 } : {}) });
host.recover();
const api = await serveHostApi(host, activities, Number(values.port ?? 0));
process.stdout.write(`${JSON.stringify({ url: api.url, key: api.key, clientData: api.clientData })}\n`);

process.once('SIGTERM', () => {
  void Promise.all([api.close(), host.close()]).finally(() => process.exit(0));
});
