/** `baton compare BASELINE CANDIDATE`: exit 1 when a metric regressed beyond the threshold. */
import { InputError } from '../model/errors.ts';
import type { CompareOptions, MetricComparison } from '../compare/compare.ts';
import { gate, type CandidateFailure } from '../compare/gate.ts';
import { initHistograms } from '../metrics/histogram.ts';
import { readResultFile } from '../results/io.ts';
import { METRICS, type MetricName, type ResultFile } from '../results/schema.ts';
import { formatParams, formatUs, table } from './format.ts';

export interface CompareCommandOptions {
  threshold: string;
  metric: string;
  markdown: boolean;
  json: boolean;
  acceptSingleRun?: boolean;
}

export async function compareCommand(baselineFile: string, candidateFile: string, options: CompareCommandOptions): Promise<void> {
  const gate = gateOptions(options);
  await initHistograms();
  reportComparison(
    { file: baselineFile, result: await readResultFile(baselineFile) },
    { file: candidateFile, result: await readResultFile(candidateFile) },
    gate,
    options,
  );
}

/** --threshold and --metric, checked. */
export function gateOptions(options: Pick<CompareCommandOptions, 'threshold' | 'metric' | 'acceptSingleRun'>): CompareOptions {
  const thresholdPct = Number(options.threshold);
  if (!(thresholdPct >= 0 && thresholdPct <= 1000))
    throw new InputError('E_BAD_INPUT', `--threshold ${options.threshold}: expected a percentage from 0 to 1000`);
  const metrics = options.metric.split(',').map((m) => m.trim()) as MetricName[];
  for (const metric of metrics) {
    if (!METRICS.includes(metric)) throw new InputError('E_BAD_INPUT', `--metric ${metric}: expected one of ${METRICS.join(', ')}`);
  }
  return { thresholdPct, metrics, acceptSingleRun: options.acceptSingleRun === true };
}

/** Prints the comparison (table, Markdown or JSON) and sets the exit code: 1 on a regression or a failed candidate cell. */
export function reportComparison(
  baseline: { file: string; result: ResultFile },
  candidate: { file: string; result: ResultFile },
  options: CompareOptions,
  output: Pick<CompareCommandOptions, 'markdown' | 'json'>,
): void {
  const { thresholdPct } = options;
  const { comparisons: rows, failures, regressions } = gate(baseline, candidate, options);
  if (output.json) process.stdout.write(`${JSON.stringify({ thresholdPct, comparisons: rows, failures, regressions })}\n`);
  else process.stdout.write(`${output.markdown ? markdownTable(rows, failures, thresholdPct) : textTable(rows, failures, thresholdPct)}\n`);
  process.exitCode = regressions > 0 ? 1 : 0;
}

const cells = (r: MetricComparison): string[] => [
  r.workload,
  formatParams(r.params),
  r.platform,
  r.metric,
  formatUs(r.baselineP50),
  formatUs(r.candidateP50),
  `${r.ratio.toFixed(3)}`,
  `${r.ratioCi95[0].toFixed(3)}–${r.ratioCi95[1].toFixed(3)}`,
  r.basis === 'rounds' ? `${r.rounds.baseline}+${r.rounds.candidate} rounds` : 'one run',
  r.runToRunCvPct ? `${r.runToRunCvPct.baseline.toFixed(1)}% / ${r.runToRunCvPct.candidate.toFixed(1)}%` : '',
  r.minimumDetectablePct === undefined ? '' : `${r.minimumDetectablePct.toFixed(0)}%`,
  modes(r),
  r.verdict,
];

const modes = (r: MetricComparison): string =>
  r.bimodal.baseline && r.bimodal.candidate ? 'two (both)' : r.bimodal.baseline ? 'two (baseline)' : r.bimodal.candidate ? 'two (candidate)' : '';
const HEADER = [
  'workload',
  'params',
  'platform',
  'metric',
  'baseline p50',
  'candidate p50',
  'ratio',
  'ratio 95% CI',
  'CI over',
  'run-to-run CV',
  'detectable',
  'modes',
  'verdict',
];
const VERDICT_COLUMN = HEADER.length - 1;
const LEGEND =
  'CI over: rounds (independent runs: the interval includes run-to-run variation) or one run (its executions only). ' +
  'detectable: the smallest slowdown these rounds could tell from noise (α 0.05, power 0.8). ' +
  'modes: a side with two modes, whose median can land on either (a fragile ratio).';

const failureLine = (f: CandidateFailure): string => `${f.workload} ${formatParams(f.params)} @ ${f.platform}: ${f.status} in the candidate (${f.reason})`;

function textTable(rows: readonly MetricComparison[], failures: readonly CandidateFailure[], thresholdPct: number): string {
  const failed = failures.length > 0 ? `\n\nregressions, cells the candidate did not run:\n${failures.map((f) => `  ${failureLine(f)}`).join('\n')}` : '';
  return `${table([HEADER, ...rows.map(cells)])}${failed}\n\nregression: the whole 95% CI of the ratio above ${(1 + thresholdPct / 100).toFixed(2)}, or a candidate cell that failed\n${LEGEND}`;
}

function markdownTable(rows: readonly MetricComparison[], failures: readonly CandidateFailure[], thresholdPct: number): string {
  const line = (c: readonly string[]) => `| ${c.join(' | ')} |`;
  return [
    line(HEADER),
    line(HEADER.map(() => '---')),
    ...rows.map((r) => line(cells(r).map((c, i) => (i === VERDICT_COLUMN && c === 'regression' ? '**regression**' : c)))),
    ...(failures.length > 0 ? ['', ...failures.map((f) => `- **regression**: ${failureLine(f)}`)] : []),
    '',
    `Regression: the whole 95% confidence interval of the ratio of medians above ${(1 + thresholdPct / 100).toFixed(2)}, or a candidate cell that failed. ${LEGEND}`,
  ].join('\n');
}
