/**
 * `baton run` as a user's shell sees it: an interrupt keeps the finished cells and leaves
 * no process behind, a bad --out is refused before anything runs, concurrent runs never
 * share a result file.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResultFile } from '../results/io.ts';

const BIN = new URL('../../bin/baton.js', import.meta.url).pathname;
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-survive-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Every process below `pid` (children, their children...). */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number): void => {
    for (const [child, ppid] of table) {
      if (ppid !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/**
 * Once the child's stderr matches `when` and the child has a process of its own running,
 * sends SIGINT; resolves when it has closed, with its exit code, its stderr and the
 * processes it had below it at that moment.
 */
function interruptWhen(child: ChildProcess, when: RegExp): Promise<{ code: number | null; stderr: string; seen: number[] }> {
  let stderr = '';
  let seen: number[] = [];
  let signalled = false;
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (signalled || !when.test(stderr)) return;
    signalled = true;
    const poll = setInterval(() => {
      seen = descendants(child.pid!);
      if (seen.length === 0) return;
      clearInterval(poll);
      child.kill('SIGINT');
    }, 20);
  });
  // close, not exit: after stderr is read to its end.
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr, seen })));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('baton run survives', () => {
  it('SIGINT after the third cell: exit 130, a valid file with three cells, no process of the run left', async () => {
    const cwd = tempDir();
    // Durable cells start a host child process each.
    const child = spawn(
      process.execPath,
      [
        BIN,
        'run',
        '--suite',
        'smoke',
        '--platform',
        'durable',
        '--workload',
        'chain',
        '--param',
        'length=2,3,4,5,6',
        '--repetitions',
        '2',
        '--warmup',
        '0',
        '--out',
        'r.json',
      ],
      {
        cwd,
        env: { ...process.env, CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // Once the fourth cell has started its host (a child process), interrupt.
    const { code, stderr, seen } = await interruptWhen(child, /\[4\/5\] chain/);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT: 3 of 5 cells finished and kept in .*r\.json/);
    const file = await readResultFile(join(cwd, 'r.json'));
    expect(file.interrupted).toBe(true);
    expect(file.cells.map((c) => c.params['length'])).toEqual([2, 3, 4]);
    expect(seen.length).toBeGreaterThan(0); // the run had a child (the fourth cell's host) when it was interrupted
    expect(seen.filter(alive)).toEqual([]);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`baton-durable-${child.pid}-`) || name.startsWith(`baton-lambda-${child.pid}-`))).toEqual([]);
  }, 180_000);

  const inFolder = (make: (cwd: string) => void, out: string) => (cwd: string) => {
    make(cwd);
    return out;
  };
  const badOuts: [string, (cwd: string) => string, RegExp][] = [
    ['a directory', inFolder((cwd) => mkdirSync(join(cwd, 'd')), 'd'), /--out d: is a directory/],
    ['a path under a file', inFolder((cwd) => writeFileSync(join(cwd, 'f'), 'x'), 'f/r.json'), /--out f\/r\.json: .*f is a file, not a folder/],
  ];
  // root may write into a read-only folder, so only another user can be refused there.
  if (process.getuid?.() !== 0) {
    badOuts.push([
      'a read-only folder',
      inFolder((cwd) => {
        mkdirSync(join(cwd, 'ro'));
        chmodSync(join(cwd, 'ro'), 0o555);
      }, 'ro/r.json'),
      /--out ro\/r\.json: cannot be written/,
    ]);
  }
  it.each(badOuts)('refuses --out that is %s before running anything (exit 2)', (_what, make, message) => {
    const cwd = tempDir();
    const out = make(cwd);
    const run = spawnSync(process.execPath, [BIN, 'run', '--suite', 'smoke', '--out', out], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\[1\//); // no cell started
  });

  it('four runs at once leave four result files', async () => {
    const cwd = tempDir();
    const runs = Array.from(
      { length: 4 },
      () =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, [BIN, 'run', '--suite', 'smoke', '--platform', 'inline', '--repetitions', '2'], {
            cwd,
            stdio: 'ignore',
            env: { ...process.env, CI: 'true' },
          });
          child.once('exit', resolve);
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    const files = readdirSync(join(cwd, 'results/runs')).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(4);
    for (const f of files) expect((await readResultFile(join(cwd, 'results/runs', f))).cells).toHaveLength(2);
  }, 120_000);

  it('sweeps the temp folders of runs that died (their pid is gone) when it starts', () => {
    const stale = join(tmpdir(), 'baton-lambda-999999999-abcdef');
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'index.mjs'), 'left by a run killed -9');
    const cwd = tempDir();
    const run = spawnSync(process.execPath, [BIN, 'run', '--suite', 'smoke', '--platform', 'inline', '--repetitions', '1'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
  });

  it('SIGINT to baton ab stops its round, removes its worktree and exits 130', async () => {
    const repo = new URL('../../', import.meta.url).pathname;
    const worktrees = () =>
      execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: repo, encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.startsWith('worktree ')).length;
    const before = worktrees();
    const out = tempDir();
    const child = spawn(
      process.execPath,
      [
        BIN,
        'ab',
        '--baseline',
        'HEAD',
        '--suite',
        'smoke',
        '--platform',
        'reference',
        '--workload',
        'chain',
        '--repetitions',
        '2',
        '--rounds',
        '3',
        '--out',
        out,
      ],
      {
        cwd: repo,
        env: { ...process.env, CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // The second run of the first round (the first set up the worktree): interrupt while it runs.
    const { code, stderr, seen } = await interruptWhen(child, /round 1\/3: candidate/);
    expect(code, stderr).toBe(130);
    expect(seen.filter(alive)).toEqual([]);
    expect(worktrees()).toBe(before);
  }, 180_000);
});
