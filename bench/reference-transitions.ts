/**
 * `npm run bench:reference`: the reference runtime's per-transition overhead for a
 * 1 KB and a 64 MB payload chain, next to the floor (a one-way postMessage hop between
 * two worker threads) measured in the same run on the same machine.
 */
import { cpus } from 'node:os';
import { initHistograms, histogramOf, withHistogram } from '../harness/metrics/histogram.ts';
import { summarize, type LatencySummary } from '../harness/metrics/summary.ts';
import { runCell } from '../harness/runner/run-cell.ts';
import { formatUs, table } from '../harness/cli/format.ts';
import { ReferenceAdapter } from '../platforms/reference/index.ts';
import { chain } from '../workloads/chain/index.ts';
import { measureWorkerHopsUs } from './worker-hop.ts';

const CHAIN_LENGTH = 10;
const PAYLOADS = [{ label: '1 KB', bytes: 1024, runs: 200 }, { label: '64 MB', bytes: 64 * 1024 * 1024, runs: 10 }];
const HOPS = 5000;

await initHistograms();
const rows: { what: string; s: LatencySummary }[] = [];

const hops = await measureWorkerHopsUs(HOPS);
rows.push({ what: `floor: worker_threads postMessage hop, one way (${HOPS} hops)`, s: withHistogram(histogramOf(hops), summarize) });

const adapter = new ReferenceAdapter();
try {
  for (const payload of PAYLOADS) {
    process.stderr.write(`chain of ${CHAIN_LENGTH}, ${payload.label} payload, ${payload.runs} runs...\n`);
    const cell = await runCell(adapter, { workload: chain, params: { length: CHAIN_LENGTH, payloadBytes: payload.bytes }, platform: 'reference' }, {
      repetitions: payload.runs, warmup: 2, target: 'local', faults: {},
    });
    if (cell.status !== 'ok') throw new Error(`chain ${payload.label}: ${cell.status}: ${cell.reason}`);
    rows.push({ what: `reference transition, chain ${payload.label} (${cell.summary.transitionUs!.count} transitions)`, s: cell.summary.transitionUs! });
  }
} finally {
  await adapter.close();
}

const floorP50 = rows[0]!.s.p50;
console.log(`machine: ${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.version}`);
console.log(table([
  ['measurement', 'p50', 'p99', 'p50 / floor p50'],
  ...rows.map(({ what, s }) => [what, formatUs(s.p50), formatUs(s.p99), `${(s.p50 / floorP50).toFixed(1)}x`]),
]));
