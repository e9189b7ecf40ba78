/**
 * `npm run bench:reference [-- --runs N]`: the reference runtime's figures, each printed
 * next to a floor (or a bound) measured in the same run on the same machine. The whole
 * set is measured N times (default 3); the table shows each figure's median over the runs
 * and every run's value, so the spread between runs is in plain sight.
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
import { gatewayThroughput, type RateStep } from './gateway-throughput.ts';
import { crossNodeBreakdown, PHASES, type Phase, sameNodeBreakdown } from './hop-breakdown.ts';
import { paddedChain } from './padded-chain.ts';

const KB = 1024;
const MB = 1024 * KB;
const P99_BOUND_US = 10_000;
const RATES = [250, 500, 1000, 2000, 4000, 8000, 12000, 16000, 24000];

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 3;
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`bench:reference: --runs expects a whole number of runs (1 or more), got '${process.argv[runsArg + 1] ?? ''}'`);
  process.exit(2);
}

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
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Run {
  readonly figures: Record<string, { p50: number; p99: number }>;
  readonly phases: { same: Record<Phase, number>; cross: Record<Phase, number> };
  readonly gateway: RateStep[];
  readonly linkMs: number;
}

async function measureOnce(run: number): Promise<Run> {
  const figures: Run['figures'] = {};
  log(`run ${run}: floors...`);
  figures['hop'] = summaryOf(await workerHopsUs(5000));
  figures['tcp'] = summaryOf(await tcpRoundTripsUs(5000));
  log(`run ${run}: same-node chain, 1 KB...`);
  figures['small'] = (await measure({}, chain, { length: 10, payloadBytes: KB }, 200)).transitionUs!;
  log(`run ${run}: same-node chain, 64 MB, and 1 KB with links as long as the 64 MB ones...`);
  const largeCell = await measure({}, chain, { length: 10, payloadBytes: 64 * MB }, 10);
  figures['large'] = largeCell.transitionUs!;
  const linkMs = (largeCell.e2eUs!.p50 - largeCell.overheadUs!.p50) / 10 / 1000;
  figures['padded'] = (await measure({}, paddedChain, { length: 10, payloadBytes: KB, minMs: linkMs }, 20)).transitionUs!;
  log(`run ${run}: cross-node chain (2 node processes, every link on the other node), 1 KB...`);
  figures['cross'] = (await measure({ nodes: 2, executors: 1, placement: 'spread' }, chain, { length: 10, payloadBytes: KB }, 100)).transitionUs!;
  log(`run ${run}: fan-out to 1000 and join...`);
  const wide = await measure({}, fanout, { width: 1000, payloadBytes: KB }, 20);
  figures['fanoutOverhead'] = wide.overheadUs!;
  figures['fanoutE2e'] = wide.e2eUs!;
  log(`run ${run}: where a transition's time goes...`);
  const phaseMedians = (samples: Record<Phase, number[]>): Record<Phase, number> =>
    Object.fromEntries(PHASES.map((p) => [p, median(samples[p])])) as Record<Phase, number>;
  const phases = { same: phaseMedians(await sameNodeBreakdown(200)), cross: phaseMedians(await crossNodeBreakdown(100)) };
  log(`run ${run}: gateway throughput, open loop...`);
  const gateway = await gatewayThroughput(RATES, 3000, P99_BOUND_US);
  return { figures, phases, gateway, linkMs };
}

const runs: Run[] = [];
for (let i = 1; i <= RUNS; i++) runs.push(await measureOnce(i));

const fig = (key: string, which: 'p50' | 'p99'): number => median(runs.map((r) => r.figures[key]![which]));
const each = (key: string): string => runs.map((r) => formatUs(r.figures[key]!.p50)).join(' / ');
const ratioEach = (key: string, floor: string): string => runs.map((r) => (r.figures[key]!.p50 / r.figures[floor]!.p50).toFixed(1)).join(' / ');
const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}x`;
const row = (label: string, key: string, against?: { name: string; key?: string; us?: number; target: string }) => {
  const base = against?.key ? fig(against.key, 'p50') : against?.us;
  return [
    label,
    formatUs(fig(key, 'p50')),
    formatUs(fig(key, 'p99')),
    each(key),
    against?.name ?? '',
    base === undefined ? '' : ratio(median(runs.map((r) => r.figures[key]!.p50 / (against?.key ? r.figures[against.key]!.p50 : base))), 1),
    against?.key ? ratioEach(key, against.key) : '',
    against?.target ?? '',
  ];
};

console.log(
  `machine: ${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ${RUNS} run(s), medians`,
);
console.log(
  table([
    ['measurement', 'p50', 'p99', 'p50 of each run', 'compared with', 'ratio (median)', 'ratio of each run', 'target'],
    row('floor: worker_threads postMessage hop, one way', 'hop'),
    row('floor: TCP round trip, 127.0.0.1, two processes', 'tcp'),
    row('same-node transition, chain 1 KB', 'small', { name: 'worker hop', key: 'hop', target: '<= 3x' }),
    row(`same-node transition, chain 1 KB, links padded to ${median(runs.map((r) => r.linkMs)).toFixed(0)} ms`, 'padded'),
    row('same-node transition, chain 64 MB (exchange)', 'large', { name: '1 KB, padded', key: 'padded', target: '<= 2x' }),
    row('cross-node transition, chain 1 KB', 'cross', { name: 'TCP round trip', key: 'tcp', target: '<= 3x' }),
    row('fan-out 1000 + join: orchestration overhead', 'fanoutOverhead', { name: '20 ms', us: 20_000, target: '< 1x' }),
    row('fan-out 1000 + join: end to end', 'fanoutE2e'),
  ]),
);

console.log("\nwhere a transition's time goes (median µs per phase; chain of 10, 1 KB; see bench/hop-breakdown.ts)");
const phaseRow = (where: 'same' | 'cross', label: string) => {
  const values = PHASES.map((p) => median(runs.map((r) => r.phases[where][p])));
  return [label, ...values.map((v) => v.toFixed(1)), values.reduce((a, b) => a + b, 0).toFixed(1)];
};
console.log(table([['', ...PHASES, 'sum'], phaseRow('same', 'same node'), phaseRow('cross', 'cross-node')]));

const rateSummary = (steps: readonly RateStep[]): string => {
  const best = steps.filter((s) => s.passed).at(-1);
  return best ? `${best.ratePerSec}/s` : 'none';
};
console.log(
  `\ngateway, 3-function chain, open loop: highest rate with p99 < ${formatUs(P99_BOUND_US)}, each run: ${runs.map((r) => rateSummary(r.gateway)).join(' / ')}`,
);
const last = runs.at(-1)!.gateway;
console.log(`run ${RUNS}'s steps (server: the gateway process; client: the load generator; steal: CPU time the hypervisor took)`);
console.log(
  table([
    [
      'rate',
      'achieved',
      'p50',
      'p99',
      'errors',
      `p99 < ${formatUs(P99_BOUND_US)}`,
      'server loop delay max',
      'server GC max',
      'client loop delay max',
      'client GC max',
      'steal',
    ],
    ...last.map((s) => [
      `${s.ratePerSec}/s`,
      `${s.achievedPerSec.toFixed(0)}/s`,
      formatUs(s.p50Us),
      formatUs(s.p99Us),
      String(s.errors),
      s.passed ? 'yes' : 'no',
      formatUs(s.server.loopDelayMaxUs),
      `${s.server.gcPauseMaxMs.toFixed(1)} ms`,
      formatUs(s.client.loopDelayMaxUs),
      `${s.client.gcPauseMaxMs.toFixed(1)} ms`,
      s.stealMs === undefined ? 'n/a' : `${s.stealMs} ms`,
    ]),
  ]),
);
