/**
 * `npm run bench:platforms`: per-transition overhead of a 10-function chain (1 KB) on
 * every platform's local target, side by side, with the worker-hop floor measured in
 * the same run. Local stand-ins are not the cloud services: these figures measure the
 * stand-ins (and the reference runtime), not AWS.
 */
import { cpus } from 'node:os';
import { formatUs, table } from '../harness/cli/format.ts';
import { histogramOf, initHistograms, withHistogram } from '../harness/metrics/histogram.ts';
import { summarize } from '../harness/metrics/summary.ts';
import { PLATFORMS } from '../harness/registry/platforms.ts';
import { runCell } from '../harness/runner/run-cell.ts';
import { chain } from '../workloads/chain/index.ts';
import { workerHopsUs } from './floors.ts';

await initHistograms();
const hop = withHistogram(histogramOf(await workerHopsUs(2000)), summarize);
const rows: string[][] = [['floor: worker_threads hop, one way', formatUs(hop.p50), formatUs(hop.p99), '', '', '']];
for (const [name, entry] of PLATFORMS) {
  process.stderr.write(`${name}...\n`);
  const adapter = entry.create({ nodes: 1 });
  try {
    const cell = await runCell(
      adapter,
      { workload: chain, params: { length: 10, payloadBytes: 1024 }, platform: name },
      { repetitions: 30, warmup: 3, target: 'local', faults: {} },
    );
    if (cell.status !== 'ok') throw new Error(`${name}: ${cell.status}: ${cell.reason}`);
    // A platform without a per-function trace (Express) has no transitions: its row shows e2e only.
    const t = cell.summary.transitionUs;
    const e = cell.summary.e2eUs!;
    rows.push([
      `${name}: transition, chain of 10, 1 KB`,
      t ? formatUs(t.p50) : 'no trace',
      t ? formatUs(t.p99) : '',
      t ? `${(t.p50 / hop.p50).toFixed(1)}x` : '',
      formatUs(e.p50),
      cell.cost ? `$${cell.cost.usdPerMillion.toFixed(2)}` : '',
    ]);
  } finally {
    await adapter.close();
  }
}
console.log(`machine: ${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(table([['measurement', 'p50', 'p99', 'p50 / floor', 'e2e p50', '$/1M (priced as the cloud service)'], ...rows]));
