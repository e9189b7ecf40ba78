/**
 * Temporary folders of a run (a Durable host's store, the Lambda stand-in's code, an A/B
 * worktree), named with the owning process's pid: `baton-KIND-PID-XXXXXX`. A run removes
 * its own when it ends; `sweepStaleTempDirs` removes those whose process is gone (a run
 * that was killed -9), at the start of the next. `inMemory` folders live in /dev/shm
 * where the machine has it (a store that stands for one held in memory).
 */
import { accessSync, constants, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NAME = /^baton-([a-z-]+?)-(\d+)-[A-Za-z0-9]{6}$/;

export function makeTempDir(kind: string, where: 'disk' | 'inMemory' = 'disk'): string {
  return mkdtempSync(join(where === 'inMemory' ? memoryRoot() : tmpdir(), `baton-${kind}-${process.pid}-`));
}

/** /dev/shm (tmpfs, shared by every process of the machine) where it exists and is writable, else the temp folder. */
function memoryRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** Removes the temp folders of Baton processes that no longer run; returns their paths. */
export function sweepStaleTempDirs(roots = [...new Set([tmpdir(), memoryRoot()])]): string[] {
  const removed: string[] = [];
  for (const root of roots)
    for (const name of readdirSync(root)) {
      const pid = Number(NAME.exec(name)?.[2]);
      if (!pid || pid === process.pid || isAlive(pid)) continue;
      rmSync(join(root, name), { recursive: true, force: true });
      removed.push(join(root, name));
    }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}
