/** `baton ab --baseline REF`: the suite by a git ref and by the working tree, interleaved, then the gate. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT, baselineWorktree, runAb } from '../compare/ab.ts';
import { initHistograms } from '../metrics/histogram.ts';
import { writeResultFile } from '../results/io.ts';
import { gateOptions, reportComparison, type CompareCommandOptions } from './compare-command.ts';

export interface AbCommandOptions extends CompareCommandOptions {
  baseline: string;
  suite: string;
  platform?: string;
  workload?: string;
  param: string[];
  repetitions?: number;
  rounds: number;
  out: string;
}

export async function abCommand(options: AbCommandOptions): Promise<void> {
  const gate = gateOptions(options);
  const runArgs = [
    '--suite',
    options.suite,
    ...(options.platform ? ['--platform', options.platform] : []),
    ...(options.workload ? ['--workload', options.workload] : []),
    ...options.param.flatMap((p) => ['--param', p]),
    ...(options.repetitions ? ['--repetitions', String(options.repetitions)] : []),
  ];
  const outDir = resolve(options.out);
  mkdirSync(outDir, { recursive: true });
  const worktree = baselineWorktree(options.baseline);
  try {
    const { baseline, candidate } = await runAb(
      { baseline: { dir: worktree.dir }, candidate: { dir: REPO_ROOT } },
      {
        runArgs,
        rounds: options.rounds,
        outDir,
        onRun: (side, round) =>
          process.stderr.write(`round ${round}/${options.rounds}: ${side} (${side === 'baseline' ? options.baseline : 'working tree'})\n`),
      },
    );
    writeResultFile(join(outDir, 'baseline.json'), baseline);
    writeResultFile(join(outDir, 'candidate.json'), candidate);
    await initHistograms();
    reportComparison(baseline, candidate, gate, options);
  } finally {
    worktree.remove();
  }
}
