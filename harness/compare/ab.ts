/**
 * A/B mode: the same suite run by two source trees (a baseline git ref and the working
 * tree), interleaved in one job (ABBA order, round by round) so that both see the same
 * machine, load and drift; each side's rounds are merged into one result file. On a
 * noisy CI machine this is what makes a comparison mean something.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../adapter-kit/temp-dirs.ts';
import { BatonError, InputError } from '../model/errors.ts';
import { readResultFile } from '../results/io.ts';
import { mergeResults } from '../results/merge.ts';
import type { ResultFile } from '../results/schema.ts';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export interface AbSide {
  readonly dir: string;
  /** Extra environment of this side's runs. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface AbOptions {
  /** `baton run` arguments after `run` (suite, platforms, params, repetitions...), without --out. */
  readonly runArgs: readonly string[];
  readonly rounds: number;
  readonly outDir: string;
  readonly onRun?: (side: 'baseline' | 'candidate', round: number) => void;
  /** Aborted on an interrupt: the round's child run is stopped (SIGTERM) and runAb rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export async function runAb(sides: { baseline: AbSide; candidate: AbSide }, options: AbOptions): Promise<{ baseline: ResultFile; candidate: ResultFile }> {
  const files: { baseline: ResultFile[]; candidate: ResultFile[] } = { baseline: [], candidate: [] };
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? (['baseline', 'candidate'] as const) : (['candidate', 'baseline'] as const);
    for (const side of order) {
      options.onRun?.(side, round);
      const out = join(options.outDir, `${side}-round${round}.json`);
      if (options.signal?.aborted) throw options.signal.reason;
      await runSuite(sides[side], [...options.runArgs, '--out', out], options.signal);
      files[side].push(await readResultFile(out));
    }
  }
  return { baseline: mergeResults(files.baseline), candidate: mergeResults(files.candidate) };
}

function runSuite(side: AbSide, args: readonly string[], signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(side.dir, 'bin/baton.js'), 'run', ...args, '--json'], {
      cwd: side.dir,
      env: { ...process.env, ...side.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const stop = (): void => {
      child.kill('SIGTERM'); // the run closes its platforms and exits 143
    };
    signal?.addEventListener('abort', stop, { once: true });
    child.once('error', reject);
    child.once('exit', (code) => {
      signal?.removeEventListener('abort', stop);
      if (signal?.aborted) return reject(signal.reason);
      // 1: a cell failed, which the merged result and the comparison show; 2 and up: the run itself broke.
      if (code === 0 || code === 1) resolve();
      else reject(new BatonError('E_BAD_INPUT', `baton run in ${side.dir} exited ${code}: ${stderr.trim()}`, { exitCode: 2 }));
    });
  });
}

/**
 * A worktree of `ref` to run as the baseline, with dependencies: the working tree's
 * node_modules when the lockfiles match, else its own `npm ci`.
 */
export function baselineWorktree(ref: string): { dir: string; remove(): void } {
  try {
    execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: REPO_ROOT, stdio: 'ignore' });
  } catch {
    throw new InputError('E_BAD_INPUT', `--baseline ${ref}: not a commit of the repository at ${REPO_ROOT}`);
  }
  const parent = makeTempDir('ab');
  const dir = join(parent, 'baseline');
  execFileSync('git', ['worktree', 'add', '--detach', dir, ref], { cwd: REPO_ROOT, stdio: 'ignore' });
  const remove = () => {
    try {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: REPO_ROOT, stdio: 'ignore' });
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
    rmSync(parent, { recursive: true, force: true });
  };
  try {
    const lock = (root: string) => (existsSync(join(root, 'package-lock.json')) ? readFileSync(join(root, 'package-lock.json'), 'utf8') : '');
    if (lock(dir) === lock(REPO_ROOT) && existsSync(join(REPO_ROOT, 'node_modules')))
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    else execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
  } catch (error) {
    remove();
    throw error;
  }
  return { dir, remove };
}
