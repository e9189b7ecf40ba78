/**
 * `npm run bench:durable [-- --runs N]`: the local Durable host's fan-out against its
 * 1-way floor, measured in the same run: the median end-to-end time (start to Completed,
 * through the real SDK client) of a 1-way and a 12-way fan-out of 10 ms activities, warm
 * (the activity threads already loaded the app), and a 12-way one cold (threads
 * recycled first). The host keeps a store, as the adapter runs it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { table } from '../harness/cli/format.ts';
import { startHostProcess } from '../platforms/durable/local/host-process.ts';
import { clientFor, finished } from '../platforms/durable/test-apps/client.ts';

const ACTIVITY_MS = 10;
const WIDE = 12;
const BOUND = 3;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 15;
if (!Number.isInteger(RUNS) || RUNS < 3) {
  console.error(`bench:durable: --runs expects a whole number of runs (3 or more), got '${process.argv[runsArg + 1] ?? ''}'`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'baton-bench-durable-'));
const host = await startHostProcess({ appUrl: new URL('./durable-fanout-app.ts', import.meta.url).href, storeDir: join(dir, 'store') });
const client = clientFor(host.clientData);

async function oneRunMs(width: number): Promise<number> {
  const startedMs = performance.now();
  const id = await client.startNew('FanOutWait', { input: { width, ms: ACTIVITY_MS } });
  const status = await finished(client, id, 60_000);
  if (status.runtimeStatus !== 'Completed') throw new Error(`${width}-way fan-out ${status.runtimeStatus}: ${String(status.output)}`);
  const elapsedMs = performance.now() - startedMs;
  await client.purgeInstanceHistory(id);
  return elapsedMs;
}

const median = (values: readonly number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!;
const recycle = () => fetch(`${host.url}/baton/recycle?code=${host.key}`, { method: 'POST' });

try {
  await recycle();
  const coldMs = await oneRunMs(WIDE);
  for (let i = 0; i < 5; i++) await oneRunMs(WIDE); // warm-up
  const oneWay: number[] = [];
  const wide: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    oneWay.push(await oneRunMs(1));
    wide.push(await oneRunMs(WIDE));
  }
  const ratio = median(wide) / median(oneWay);
  console.log(`local Durable host, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}; ${RUNS} runs each, medians`);
  console.log(
    table([
      ['measurement', 'median', 'runs (ms)'],
      [`1-way fan-out of ${ACTIVITY_MS} ms, warm (floor)`, `${median(oneWay).toFixed(1)} ms`, oneWay.map((v) => v.toFixed(0)).join(' ')],
      [`${WIDE}-way fan-out of ${ACTIVITY_MS} ms, warm`, `${median(wide).toFixed(1)} ms`, wide.map((v) => v.toFixed(0)).join(' ')],
      [`${WIDE}-way, cold (threads recycled first)`, `${coldMs.toFixed(1)} ms`, ''],
      [`${WIDE}-way / 1-way`, `${ratio.toFixed(2)}x`, `target <= ${BOUND}x: ${ratio <= BOUND ? 'met' : 'NOT met'}`],
    ]),
  );
} finally {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
}
