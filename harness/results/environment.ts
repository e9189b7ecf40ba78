import { execFileSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import type { Target } from '../model/index.ts';
import type { Environment } from './schema.ts';

const REPO_ROOT = new URL('../../', import.meta.url).pathname;

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The machine and code a result came from. */
export function captureEnvironment(target: Target): Environment {
  const commit = git(['rev-parse', 'HEAD']);
  return {
    batonCommit: commit ?? 'unknown',
    batonDirty: commit !== undefined && (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    nodeVersion: process.version,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    os: `${platform()} ${release()}`,
    target,
  };
}
