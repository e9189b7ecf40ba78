/**
 * The real `baton` command in child processes: exit codes, stdout/stderr contracts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResultFile } from '../results/io.ts';
import { PLATFORMS } from '../registry/platforms.ts';

const BIN = new URL('../../bin/baton.js', import.meta.url).pathname;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
  made.push(dir);
  return dir;
};

function baton(args: string[], cwd = tempDir()) {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
  delete env['BATON_AWS_ROLE_ARN'];
  const child = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr, cwd };
}

describe('baton CLI', () => {
  it('--help names every command', () => {
    const { code, stdout } = baton(['--help']);
    expect(code).toBe(0);
    for (const command of ['run', 'compare', 'ab', 'figures', 'deploy', 'serve', 'workloads', 'platforms']) expect(stdout).toContain(command);
  });

  it('run --json prints one JSON object and writes a valid result file', async () => {
    const { code, stdout, stderr, cwd } = baton(['run', '--suite', 'smoke', '--platform', 'reference', '--json', '--repetitions', '3', '--out', 'r/out.json']);
    expect(code, stderr).toBe(0);
    const json = JSON.parse(stdout) as { resultFile: string; cells: Record<string, unknown>[] };
    expect(json.resultFile).toBe(join(cwd, 'r/out.json'));
    expect(json.cells.map((c) => [c['workload'], c['platform'], c['status'], c['verified']])).toEqual([
      ['chain', 'reference', 'ok', true],
      ['fanout', 'reference', 'ok', true],
    ]);
    expect(json.cells[0]!['e2eUs']).toMatchObject({ count: 3 });
    expect(Object.keys(json.cells[0]!['e2eUs'] as object)).toEqual(['p50', 'p90', 'p99', 'p999', 'max', 'count']);
    const file = await readResultFile(json.resultFile);
    expect(file.cells).toHaveLength(2);
    expect(stderr).toMatch(/\[2\/2\] ok/); // plain progress lines when not on a terminal
  });

  it('writes to results/runs/ by default and prints a summary table', () => {
    const { code, stdout, cwd } = baton(['run', '--suite', 'smoke', '--platform', 'reference', '--workload', 'chain', '--repetitions', '2', '--warmup', '0']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/workload\s+params\s+platform\s+status/);
    expect(readdirSync(join(cwd, 'results/runs'))).toHaveLength(1);
    expect(stdout).not.toContain('storage for functions'); // no cell used storage
  });

  it("prints what the functions' storage calls did, per run, for a workload that uses storage", () => {
    const { code, stdout, stderr } = baton([
      'run',
      '--platform',
      'inline,reference',
      '--workload',
      '1000-genome',
      '--param',
      'individuals=12',
      '--param',
      'variants=60',
      '--param',
      'parts=2',
      '--param',
      'populations=2',
      '--repetitions',
      '2',
      '--warmup',
      '0',
    ]);
    expect(code, stderr).toBe(0);
    const section = stdout.slice(stdout.indexOf('storage for functions, per run'));
    expect(section).toMatch(/workload\s+platform\s+storage p50 \(µs\)\s+object puts/);
    // Both platforms ran the same code: the same calls per run (2 parts + merge + sifting + 2 x 1 frequency output).
    const rows = section.split('\n').filter((l) => l.startsWith('1000-genome'));
    expect(rows.map((r) => r.split(/\s{2,}/)[1])).toEqual(['inline', 'reference']);
    const counts = rows.map((r) => r.split(/\s{2,}/).slice(3));
    expect(counts[0]).toEqual(counts[1]);
    expect(Number(counts[0]![0])).toBe(2 + 1 + 1 + 2);
  });

  const badInput: [string, string[], RegExp][] = [
    ['an unknown workload', ['run', '--workload', 'nope'], /unknown workload 'nope'/],
    ['an unknown platform', ['run', '--platform', 'nope'], /unknown platform 'nope'/],
    ['an unknown suite', ['run', '--suite', 'nope'], /unknown suite 'nope'/],
    ['a negative parameter', ['run', '--param', 'length=-2'], /length=-2: expected an integer from 1 to 1000/],
    ['a malformed parameter', ['run', '--param', 'length'], /expected KEY=VALUE/],
    ['an unknown option', ['run', '--frobnicate'], /unknown option '--frobnicate'/],
    ['a bad target', ['run', '--target', 'moon'], /--target/],
    ['an unsupported fault', ['run', '--inject', 'duplicate=0.5'], /cannot inject this fault/],
    [
      'the cloud target without its role',
      ['run', '--platform', 'asf', '--target', 'cloud', '--suite', 'smoke'],
      /BATON_AWS_ROLE_ARN: expected the ARN of an IAM role/,
    ],
  ];
  for (const [what, args, message] of badInput) {
    it(`exits 2 on ${what}, with one line and no file`, () => {
      const { code, stderr, cwd } = baton([...args, '--out', 'x.json']);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
      expect(existsSync(join(cwd, 'x.json'))).toBe(false);
    });
  }

  it('platforms prints the capability matrix from the adapters', () => {
    const { code, stdout } = baton(['platforms', '--json']);
    expect(code).toBe(0);
    const { platforms } = JSON.parse(stdout) as { platforms: { name: string; capabilities: Record<string, { support: string }> }[] };
    const reference = platforms.find((p) => p.name === 'reference')!;
    expect(reference.capabilities['map']).toEqual({ support: 'native' });
    expect(reference.capabilities['window']).toEqual({ support: 'native' });
    const asf = platforms.find((p) => p.name === 'asf')!;
    expect(asf.capabilities['window']!.support).toBe('workaround');
    expect(platforms.map((p) => p.name)).toEqual([...PLATFORMS.keys()]);
    expect(asf.capabilities['dag']!.support).toBe('workaround');
    const text = baton(['platforms']).stdout;
    expect(text).toMatch(/^map\s+native\s+native/m);
    expect(text).toMatch(/^target cloud\s+unsupported \[\d+\]/m);
    expect(text).toMatch(/^\[\d+\] reference target cloud: the reference runtime runs on this machine only/m);
    // How each platform is made cold, stated once per platform.
    for (const name of PLATFORMS.keys()) expect(text).toMatch(new RegExp(`^${name}: cold=1 `, 'm'));
  });

  it('workloads lists parameters with ranges', () => {
    const { code, stdout } = baton(['workloads']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/payloadBytes\s+.*default 1024, 0\.\.536870912 bytes/);
  });
});

describe('baton serve', () => {
  it('prints the endpoints once ready, serves the real SDK, and stops on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const { SFNClient, ListExecutionsCommand, StateMachineDoesNotExist } = await import('@aws-sdk/client-sfn');
    const child = spawn(process.execPath, [BIN, 'serve', 'asf'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    const endpoints = JSON.parse(line) as {
      stepfunctions: string;
      lambda: string;
      region: string;
      credentials: { accessKeyId: string; secretAccessKey: string };
    };
    expect(endpoints.stepfunctions).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoints.lambda).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoints.credentials.accessKeyId).toMatch(/^[A-Z0-9]{20}$/);
    const list = new ListExecutionsCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:none' });
    const sfn = new SFNClient({ endpoint: endpoints.stepfunctions, region: endpoints.region, credentials: endpoints.credentials });
    await expect(sfn.send(list)).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    sfn.destroy();
    // Credentials of its own making are refused: only whoever read the printed line gets in.
    const stranger = new SFNClient({
      endpoint: endpoints.stepfunctions,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' },
    });
    await expect(stranger.send(list)).rejects.toThrow(/access key AKIAIOSFODNN7EXAMPLE is not this stand-in's/);
    stranger.destroy();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 2 for a platform without stand-ins', () => {
    const { code, stderr } = baton(['serve', 'reference']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no local stand-ins to serve: expected one of asf/);
  });
});

describe('baton figures and deploy', () => {
  it('figures draws from the newest result file and names what it wrote', () => {
    const run = baton(['run', '--suite', 'smoke', '--platform', 'reference', '--workload', 'chain', '--repetitions', '3']);
    expect(run.code, run.stderr).toBe(0);
    const { code, stdout, stderr } = baton(['figures', '--out', 'figs'], run.cwd);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(join(run.cwd, 'figs', 'report.html'));
    expect(stderr).toMatch(/no data for: .*fanout/);
    expect(readdirSync(join(run.cwd, 'figs'))).toContain('01-data-passing.png');
  });

  it('figures exits 2 when there is nothing to draw from', () => {
    const { code, stderr } = baton(['figures']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no result files given and none in/);
  });

  it('deploy writes a Function App for durable, and exits 2 for a platform that deploys through its APIs', () => {
    const ok = baton(['deploy', 'durable', '--workload', 'fanout', '--param', 'width=3', '--out', 'app']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(join(ok.cwd, 'app')).sort()).toEqual(['README.md', 'dist', 'host.json', 'local.settings.json', 'package.json']);
    const refused = baton(['deploy', 'asf', '--workload', 'chain', '--out', 'app']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/expected one of unum, durable/);
  });

  it.each([
    ['deploy', ['deploy', 'durable', '--workload', 'chain']],
    ['figures', ['figures', 'results.json']],
    ['ab', ['ab', '--baseline', 'HEAD']],
  ])('%s --out naming a file is bad input (exit 2), found before any work', (_command, args) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'taken'), 'a file');
    const { code, stderr } = baton([...args, '--out', 'taken'], cwd);
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/--out taken: .*taken is a file, not a folder/);
  });

  it('ab --rounds 0 is bad input (exit 2)', () => {
    const { code, stderr } = baton(['ab', '--baseline', 'HEAD', '--rounds', '0']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--rounds 0: expected a whole number of rounds, at least 1/);
  });
});
