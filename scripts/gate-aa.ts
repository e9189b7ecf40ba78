/**
 * Chooses the CI gate's threshold: A/A runs of the smoke suite, on a quiet machine and
 * with a CPU hog on every core, each compared with the committed baseline. The worst
 * lower bound of a ratio's 95% CI over all cells is how much a run of *unchanged* code
 * can look slower; the threshold must stay above it. Writes results/baseline/aa-runs.md.
 *   node scripts/gate-aa.ts [--runs N]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compareResults } from '../harness/compare/compare.ts';
import { initHistograms } from '../harness/metrics/histogram.ts';
import { readResultFile } from '../harness/results/io.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const BASELINE = join(ROOT, 'results/baseline/smoke.json');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '4' } } });
const runs = Number(values.runs);

await initHistograms();
const baseline = await readResultFile(BASELINE);
const dir = mkdtempSync(join(tmpdir(), 'baton-aa-'));
const rows: string[] = [];
let worst = 0;
for (const mode of ['quiet', 'busy'] as const) {
  for (let i = 1; i <= runs; i++) {
    const hogs: ChildProcess[] =
      mode === 'busy' ? Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })) : [];
    const out = join(dir, `${mode}-${i}.json`);
    const run = spawnSync(process.execPath, [join(ROOT, 'bin/baton.js'), 'run', '--suite', 'smoke', '--out', out, '--json'], { cwd: ROOT, stdio: 'ignore' });
    for (const hog of hogs) hog.kill('SIGKILL');
    if (run.status !== 0) throw new Error(`smoke run ${mode} ${i} exited ${run.status}`);
    const comparisons = compareResults(baseline, await readResultFile(out), { thresholdPct: 0, metrics: ['e2eUs'] });
    const top = comparisons.reduce((a, b) => (b.ratioCi95[0] > a.ratioCi95[0] ? b : a));
    worst = Math.max(worst, top.ratioCi95[0]);
    const line = `| ${mode} | ${i} | ${top.workload} @ ${top.platform} | ${top.ratio.toFixed(2)} | ${top.ratioCi95[0].toFixed(2)}–${top.ratioCi95[1].toFixed(2)} |`;
    rows.push(line);
    process.stderr.write(`${line}\n`);
  }
}
const thresholdPct = Math.max(50, Math.ceil(((worst - 1) * 2 * 100) / 25) * 25);
const text = `# A/A runs that chose the CI gate's threshold

${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}.
Each run: the smoke suite (\`npx baton run --suite smoke\`), unchanged code, compared with
\`results/baseline/smoke.json\` on \`e2eUs\`; "busy" runs had a CPU hog on every core. The
row shows the cell whose ratio's 95% CI had the highest lower bound (the closest to a false
alarm).

| machine | run | worst cell | ratio of medians | 95% CI |
|---|---|---|---|---|
${rows.join('\n')}

Worst lower bound: ${worst.toFixed(2)}. Threshold: twice that excess, rounded up to 25%, at
least 50%: **${thresholdPct}%** (\`.ci/run\` uses it). Regenerate with \`node scripts/gate-aa.ts\`
after changing the baseline.
`;
writeFileSync(join(ROOT, 'results/baseline/aa-runs.md'), text);
process.stdout.write(`threshold ${thresholdPct}%\n`);
