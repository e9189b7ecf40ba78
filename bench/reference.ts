/**
 * `npm run bench:reference`: the reference runtime's figures, each printed next to a
 * floor (or a bound) measured in the same run on the same machine.
 */
import { cpus } from 'node:os';
import { formatUs, table } from '../harness/cli/format.ts';
import { histogramOf, initHistograms, withHistogram } from '../harness/metrics/histogram.ts';
import { summarize, type LatencySummary } from '../harness/metrics/summary.ts';
import type { Workload } from '../harness/model/index.ts';
import { runCell } from '../harness/runner/run-cell.ts';
import { ReferenceAdapter, type ReferenceOptions } from '../platforms/reference/index.ts';
import { chain } from '../workloads/chain/index.ts';
import { fanout } from '../workloads/fanout/index.ts';
import { tcpRoundTripsUs, workerHopsUs } from './floors.ts';
import { paddedChain } from './padded-chain.ts';
import { gatewayThroughput } from './gateway-throughput.ts';

const KB = 1024;
const MB = 1024 * KB;
await initHistograms();
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function measure(options: ReferenceOptions, workload: Workload, params: Record<string, number>, repetitions: number) {
  const adapter = new ReferenceAdapter(options);
  try {
    const cell = await runCell(adapter, { workload, params, platform: 'reference' }, { repetitions, warmup: 3, target: 'local', faults: {} });
    if (cell.status !== 'ok') throw new Error(`${workload.name} ${JSON.stringify(params)}: ${cell.status}: ${cell.reason}`);
    return cell.summary;
  } finally {
    await adapter.close();
  }
}
const summaryOf = (values: number[]): LatencySummary => withHistogram(histogramOf(values), summarize);

log('floors...');
const hop = summaryOf(await workerHopsUs(5000));
const tcp = summaryOf(await tcpRoundTripsUs(5000));
log('same-node chain, 1 KB...');
const small = (await measure({}, chain, { length: 10, payloadBytes: KB }, 200)).transitionUs!;
log('same-node chain, 64 MB, and 1 KB with links as long as the 64 MB ones...');
const largeCell = await measure({}, chain, { length: 10, payloadBytes: 64 * MB }, 10);
const large = largeCell.transitionUs!;
const linkMs = (largeCell.e2eUs!.p50 - largeCell.overheadUs!.p50) / 10 / 1000;
const smallPadded = (await measure({}, paddedChain, { length: 10, payloadBytes: KB, minMs: linkMs }, 20)).transitionUs!;
log('cross-node chain (2 node processes, every link on the other node), 1 KB...');
const cross = (await measure({ nodes: 2, executors: 1, placement: 'spread' }, chain, { length: 10, payloadBytes: KB }, 100)).transitionUs!;
log('fan-out to 1000 and join...');
const wide = await measure({}, fanout, { width: 1000, payloadBytes: KB }, 20);
log('gateway throughput, open loop...');
const P99_BOUND_US = 10_000;
const steps = await gatewayThroughput([250, 500, 1000, 2000, 4000, 8000, 12000, 16000, 24000], 3000, P99_BOUND_US);
const best = steps.filter((s) => s.passed).at(-1); // noise can fail one rate below the knee: the table shows every step

const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}x`;
console.log(`machine: ${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(
  table([
    ['measurement', 'p50', 'p99', 'compared with', 'ratio (p50)', 'target'],
    ['floor: worker_threads postMessage hop, one way', formatUs(hop.p50), formatUs(hop.p99), '', '', ''],
    ['floor: TCP round trip, 127.0.0.1, two processes', formatUs(tcp.p50), formatUs(tcp.p99), '', '', ''],
    ['same-node transition, chain 1 KB', formatUs(small.p50), formatUs(small.p99), 'worker hop', ratio(small.p50, hop.p50), '<= 3x'],
    [`same-node transition, chain 1 KB, links padded to ${linkMs.toFixed(0)} ms`, formatUs(smallPadded.p50), formatUs(smallPadded.p99), '', '', ''],
    ['same-node transition, chain 64 MB (exchange)', formatUs(large.p50), formatUs(large.p99), '1 KB, padded', ratio(large.p50, smallPadded.p50), '<= 2x'],
    ['cross-node transition, chain 1 KB', formatUs(cross.p50), formatUs(cross.p99), 'TCP round trip', ratio(cross.p50, tcp.p50), '<= 3x'],
    [
      'fan-out 1000 + join: orchestration overhead',
      formatUs(wide.overheadUs!.p50),
      formatUs(wide.overheadUs!.p99),
      '20 ms',
      ratio(wide.overheadUs!.p50, 20_000),
      '< 1x',
    ],
    ['fan-out 1000 + join: end to end', formatUs(wide.e2eUs!.p50), formatUs(wide.e2eUs!.p99), '', '', ''],
  ]),
);
console.log(
  `gateway, 3-function chain, open loop: highest rate with p99 < ${formatUs(P99_BOUND_US)}: ${best ? `${best.ratePerSec}/s (p50 ${formatUs(best.p50Us)}, p99 ${formatUs(best.p99Us)})` : `none of the rates tried`}`,
);
console.log(
  table([
    ['rate', 'achieved', 'p50', 'p99', 'errors', `p99 < ${formatUs(P99_BOUND_US)}`],
    ...steps.map((s) => [
      `${s.ratePerSec}/s`,
      `${s.achievedPerSec.toFixed(0)}/s`,
      formatUs(s.p50Us),
      formatUs(s.p99Us),
      String(s.errors),
      s.passed ? 'yes' : 'no',
    ]),
  ]),
);
