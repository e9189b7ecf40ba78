/**
 * The regression gate on real runs: the reference runtime, A/B interleaved in one job
 * (six rounds per side, ABBA). An A/A comparison passes; a 20% slowdown injected into
 * the reference runtime's executor (BATON_REFERENCE_SLOWDOWN_PCT) is caught.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initHistograms } from '../metrics/histogram.ts';
import { REPO_ROOT, runAb } from './ab.ts';
import { compareResults } from './compare.ts';

// A chain whose functions do most of the work (4 MB each), so that a slower executor shows end to end.
const RUN_ARGS = ['--suite', 'smoke', '--platform', 'reference', '--workload', 'chain', '--param', 'length=5', '--param', 'payloadBytes=4194304', '--repetitions', '5', '--warmup', '2'];
// Six rounds per side: other test files run beside this one, and their bursts of load
// must fall on both sides alike.
const ROUNDS = 6;
const GATE = { thresholdPct: 5, metrics: ['e2eUs'] as const };

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-ab-test-'));
  await initHistograms();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('A/B mode', () => {
  test('A/A: the same tree against itself is not a regression', async () => {
    const { baseline, candidate } = await runAb({ baseline: { dir: REPO_ROOT }, candidate: { dir: REPO_ROOT } }, { runArgs: RUN_ARGS, rounds: ROUNDS, outDir: join(dir, 'aa') });
    expect(candidate.cells[0]!.runs.measured).toBe(30);
    const [row] = compareResults(baseline, candidate, GATE);
    expect(row!.verdict).not.toBe('regression');
    expect(row!.ratioCi95[0]).toBeLessThan(1.05);
  }, 120_000);

  test('a 20% slower reference runtime is caught', async () => {
    const { baseline, candidate } = await runAb(
      { baseline: { dir: REPO_ROOT }, candidate: { dir: REPO_ROOT, env: { BATON_REFERENCE_SLOWDOWN_PCT: '20' } } },
      { runArgs: RUN_ARGS, rounds: ROUNDS, outDir: join(dir, 'ab') },
    );
    const [row] = compareResults(baseline, candidate, GATE);
    expect(row!.verdict).toBe('regression');
    expect(row!.ratio).toBeGreaterThan(1.1);
  }, 120_000);
});
