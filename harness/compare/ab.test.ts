/**
 * The regression gate on real runs: the reference runtime, A/B interleaved in one job
 * (ABBA). An A/A comparison passes; a slowdown injected into the reference runtime's
 * executor (BATON_REFERENCE_SLOWDOWN_PCT) is caught. Other test files load the machine
 * beside this one, so the injected slowdown (3x the user code) and the threshold (50%)
 * are far apart from the noise: this checks the mechanism, not its sensitivity, which
 * bench/ measures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initHistograms } from '../metrics/histogram.ts';
import { REPO_ROOT, runAb } from './ab.ts';
import { compareResults } from './compare.ts';

// A chain whose functions do most of the work (2 MB each), so that a slower executor shows end to end.
const RUN_ARGS = [
  '--suite',
  'smoke',
  '--platform',
  'reference',
  '--workload',
  'chain',
  '--param',
  'length=5',
  '--param',
  'payloadBytes=2097152',
  '--repetitions',
  '6',
  '--warmup',
  '1',
];
// Five rounds per side (ABBA order): bursts of load from other test files fall on both
// sides, and with five round medians one disturbed round does not decide the interval (with
// three, its bounds are the extreme rounds: a 3x slowdown was missed under a loaded npm test).
const ROUNDS = 5;
const GATE = { thresholdPct: 50, metrics: ['e2eUs'] as const };
// Generous: at a load average of 20 on 2 cores, eight child runs take minutes.
const TIMEOUT_MS = 600_000;

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-ab-test-'));
  await initHistograms();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('A/B mode', () => {
  test(
    'A/A: the same tree against itself is not a regression',
    async () => {
      const { baseline, candidate } = await runAb(
        { baseline: { dir: REPO_ROOT }, candidate: { dir: REPO_ROOT } },
        { runArgs: RUN_ARGS, rounds: ROUNDS, outDir: join(dir, 'aa') },
      );
      expect(candidate.cells[0]!.runs.measured).toBe(30);
      expect(candidate.cells[0]!.status === 'ok' && candidate.cells[0]!.rounds?.e2eUs).toHaveLength(5);
      const [row] = compareResults(baseline, candidate, GATE);
      expect(row!.basis).toBe('rounds');
      expect(row!.verdict).not.toBe('regression');
      expect(row!.ratioCi95[0]).toBeLessThan(1.5);
    },
    TIMEOUT_MS,
  );

  test(
    'a reference runtime whose functions take 3x as long is caught',
    async () => {
      const { baseline, candidate } = await runAb(
        { baseline: { dir: REPO_ROOT }, candidate: { dir: REPO_ROOT, env: { BATON_REFERENCE_SLOWDOWN_PCT: '200' } } },
        { runArgs: RUN_ARGS, rounds: ROUNDS, outDir: join(dir, 'ab') },
      );
      const [row] = compareResults(baseline, candidate, GATE);
      if (row!.verdict !== 'regression')
        console.log(
          'not caught:',
          JSON.stringify({
            ratio: row!.ratio,
            ci: row!.ratioCi95,
            rounds: [baseline.cells[0], candidate.cells[0]].map((c) => (c!.status === 'ok' ? c!.rounds?.e2eUs : c!.status)),
          }),
        );
      expect(row!.verdict).toBe('regression');
      expect(row!.ratio).toBeGreaterThan(1.5);
    },
    TIMEOUT_MS,
  );
});
