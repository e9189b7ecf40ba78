/** `baton ab --baseline REF`: the suite by a git ref and by the working tree, interleaved, then the gate. */
import { join } from 'node:path';
import { InputError, InterruptedError } from '../model/errors.ts';
import { REPO_ROOT, baselineWorktree, runAb } from '../compare/ab.ts';
import { initHistograms } from '../metrics/histogram.ts';
import { writeResultFile } from '../results/io.ts';
import { checkWritableDir } from '../results/output-file.ts';
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
  if (!Number.isInteger(options.rounds) || options.rounds < 1)
    throw new InputError('E_BAD_INPUT', `--rounds ${options.rounds}: expected a whole number of rounds, at least 1`);
  const runArgs = [
    '--suite',
    options.suite,
    ...(options.platform ? ['--platform', options.platform] : []),
    ...(options.workload ? ['--workload', options.workload] : []),
    ...options.param.flatMap((p) => ['--param', p]),
    ...(options.repetitions ? ['--repetitions', String(options.repetitions)] : []),
  ];
  const outDir = checkWritableDir(options.out);
  const worktree = baselineWorktree(options.baseline);
  // SIGINT/SIGTERM: stop the round's child run, remove the worktree, exit 130/143.
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\nbaton ab: ${signal}: stopping the current round\n`);
    controller.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { baseline, candidate } = await runAb(
      { baseline: { dir: worktree.dir }, candidate: { dir: REPO_ROOT } },
      {
        runArgs,
        rounds: options.rounds,
        outDir,
        signal: controller.signal,
        onRun: (side, round) =>
          process.stderr.write(`round ${round}/${options.rounds}: ${side} (${side === 'baseline' ? options.baseline : 'working tree'})\n`),
      },
    );
    writeResultFile(join(outDir, 'baseline.json'), baseline);
    writeResultFile(join(outDir, 'candidate.json'), candidate);
    await initHistograms();
    reportComparison({ file: join(outDir, 'baseline.json'), result: baseline }, { file: join(outDir, 'candidate.json'), result: candidate }, gate, options);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    worktree.remove();
  }
}
