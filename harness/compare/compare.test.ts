import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHistogram, histogramOf, initHistograms, withHistogram } from '../metrics/histogram.ts';
import { mulberry32, summarize } from '../metrics/summary.ts';
import { writeResultFile } from '../results/io.ts';
import { captureEnvironment } from '../results/environment.ts';
import { RESULT_SCHEMA_VERSION, type CellResult, type ResultFile } from '../results/schema.ts';
import { mergeResults } from '../results/merge.ts';
import { compareResults } from './compare.ts';

beforeAll(() => initHistograms());

/**
 * A result file whose e2e latencies are 200 draws of a noisy, skewed distribution around
 * 5 ms (seeded), times `factor`: the same machine measured twice, or slowed down.
 */
function resultOf(seed: number, factor = 1): ResultFile {
  const random = mulberry32(seed);
  const values = Array.from({ length: 200 }, () => factor * 5000 * (1 + 0.15 * random() + (random() < 0.05 ? 2 * random() : 0)));
  const [encoded, summary] = withHistogram(histogramOf(values), (h) => [encodeHistogram(h), summarize(h)] as const);
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    suite: 'gate',
    environment: captureEnvironment('local'),
    options: { repetitions: 200, warmup: 0, target: 'local', loop: 'closed', nodes: 1, platforms: ['reference'], workloads: ['chain'] },
    cells: [
      {
        workload: 'chain',
        platform: 'reference',
        params: { length: 3 },
        status: 'ok',
        verified: true,
        runs: { warmup: 0, measured: 200 },
        coldStarts: 0,
        histograms: { e2eUs: encoded },
        summary: { e2eUs: summary },
      },
    ],
  };
}

describe('regression gate', () => {
  it('calls an A/A comparison the same and a 20% slowdown a regression, from the stored histograms', () => {
    const aa = compareResults(resultOf(1), resultOf(2), { thresholdPct: 10, metrics: ['e2eUs'] });
    expect(aa).toHaveLength(1);
    expect(aa[0]!.verdict).toBe('same');
    expect(aa[0]!.ratioCi95[0]).toBeLessThan(1);
    expect(aa[0]!.ratioCi95[1]).toBeGreaterThan(1);
    const slow = compareResults(resultOf(1), resultOf(3, 1.2), { thresholdPct: 10, metrics: ['e2eUs'] });
    expect(slow[0]!.verdict).toBe('regression');
    expect(slow[0]!.ratio).toBeGreaterThan(1.15);
    expect(compareResults(resultOf(3, 1.2), resultOf(1), { thresholdPct: 10, metrics: ['e2eUs'] })[0]!.verdict).toBe('improvement');
    // Within the threshold: a 5% slowdown is not flagged at 10%.
    expect(compareResults(resultOf(1), resultOf(4, 1.05), { thresholdPct: 10, metrics: ['e2eUs'] })[0]!.verdict).toBe('same');
  });

  it('does not match a cell measured under one load with the same cell under another', () => {
    const open = resultOf(2);
    const cell = open.cells[0]!;
    const underLoad = {
      ...cell,
      load: {
        mode: 'open' as const,
        description: 'open:200/s for 20 s',
        scheduled: 200,
        completed: 200,
        failed: 0,
        achievedPerSec: 200,
        startLagUs: { p50: 1, p99: 2, max: 3 },
      },
    };
    expect(compareResults(resultOf(1), { ...open, cells: [underLoad] }, { thresholdPct: 10, metrics: ['e2eUs'] })).toEqual([]);
    expect(compareResults({ ...open, cells: [underLoad] }, { ...open, cells: [underLoad] }, { thresholdPct: 10, metrics: ['e2eUs'] })).toHaveLength(1);
  });

  it('exits 0 when nothing regressed, 1 on a regression (with a Markdown table), 2 on a bad file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-compare-'));
    const files = { a1: join(dir, 'a1.json'), a2: join(dir, 'a2.json'), slow: join(dir, 'slow.json') };
    writeResultFile(files.a1, resultOf(1));
    writeResultFile(files.a2, resultOf(2));
    writeResultFile(files.slow, resultOf(3, 1.2));
    const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'compare', ...args, '--accept-single-run'], { encoding: 'utf8' });
    expect(run(files.a1, files.a2).status).toBe(0);
    const regressed = run(files.a1, files.slow, '--markdown');
    expect(regressed.status).toBe(1);
    expect(regressed.stdout).toMatch(/\| \*\*regression\*\* \|/);
    const bad = run(files.a1, join(dir, 'missing.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/missing\.json: cannot read/);
    expect(run(files.a1, files.a2, '--threshold', 'lots').status).toBe(2);
  });

  it('takes its interval over rounds where both sides have them, so run-to-run variation widens it', () => {
    // Three runs per side whose medians wander by ±20% (as separate processes do), no change between sides.
    const baseline = mergeResults([resultOf(11, 1.0), resultOf(12, 1.2), resultOf(13, 0.85)]);
    const candidate = mergeResults([resultOf(14, 1.18), resultOf(15, 0.95), resultOf(16, 1.25)]);
    const [row] = compareResults(baseline, candidate, { thresholdPct: 10, metrics: ['e2eUs'] });
    expect(row!.basis).toBe('rounds');
    expect(row!.rounds).toEqual({ baseline: 3, candidate: 3 });
    expect(row!.verdict).toBe('same');
    expect(row!.ratioCi95[1] - row!.ratioCi95[0]).toBeGreaterThan(row!.withinRunCi95[1] - row!.withinRunCi95[0]);
    expect(row!.runToRunCvPct!.baseline).toBeGreaterThan(10);
    expect(row!.minimumDetectablePct).toBeGreaterThan(10);
    // A steady 2x slowdown over rounds is still a regression.
    const slower = mergeResults([resultOf(17, 2.0), resultOf(18, 2.3), resultOf(19, 2.1)]);
    expect(compareResults(baseline, slower, { thresholdPct: 10, metrics: ['e2eUs'] })[0]!.verdict).toBe('regression');
  });

  it('says when a side has two modes (its median is fragile)', () => {
    const twoModes = resultOf(21);
    const random = mulberry32(5);
    const values = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? 2000 : 9000) * (1 + 0.1 * random()));
    const [encoded, summary] = withHistogram(histogramOf(values), (h) => [encodeHistogram(h), summarize(h)] as const);
    const bimodal = { ...twoModes, cells: [{ ...twoModes.cells[0]!, histograms: { e2eUs: encoded }, summary: { e2eUs: summary } } as CellResult] };
    const [row] = compareResults(resultOf(1), bimodal, { thresholdPct: 10, metrics: ['e2eUs'] });
    expect(row!.bimodal).toEqual({ baseline: false, candidate: true });
  });

  it('refuses single runs at a threshold below the run-to-run noise (exit 2), saying what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-compare-'));
    const a1 = join(dir, 'a1.json');
    const a2 = join(dir, 'a2.json');
    writeResultFile(a1, resultOf(1));
    writeResultFile(a2, resultOf(2));
    const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
    const refused = spawnSync(process.execPath, [bin, 'compare', a1, a2, '--threshold', '10'], { encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/rest on a single run per side.*cannot separate a change from run-to-run noise/s);
    expect(refused.stderr).toMatch(/baton ab --rounds 3/);
    expect(spawnSync(process.execPath, [bin, 'compare', a1, a2, '--threshold', '90'], { encoding: 'utf8' }).status).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('cannot pass by accident', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-compare-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'compare', ...args, '--accept-single-run'], { encoding: 'utf8' });
    const write = (name: string, result: ResultFile): string => {
      writeResultFile(join(dir, name), result);
      return join(dir, name);
    };
    const withCell = (result: ResultFile, change: Record<string, unknown>): ResultFile => ({
      ...result,
      cells: [{ ...result.cells[0]!, ...change } as CellResult],
    });

    it('a candidate cell that failed is a regression (exit 1), with its reason', () => {
      const failed = withCell(resultOf(2), { status: 'failed', reason: 'wrong output on run 1', verified: false, histograms: {}, summary: {} });
      const out = run(write('base.json', resultOf(1)), write('failed.json', failed));
      expect(out.status).toBe(1);
      expect(out.stdout).toMatch(/chain length=3 @ reference: failed in the candidate \(wrong output on run 1\)/);
    });

    it('two files with no cell in common are an error (exit 2) that says what each holds', () => {
      const other = withCell(resultOf(2), { workload: 'fanout', params: { width: 4 } });
      const out = run(write('a.json', resultOf(1)), write('other.json', other));
      expect(out.status).toBe(2);
      expect(out.stderr).toMatch(/nothing to compare for e2eUs/);
      expect(out.stderr).toMatch(/a\.json: 1 cell: chain length=3 @ reference \[ok: e2eUs\]/);
      expect(out.stderr).toMatch(/other\.json: 1 cell: fanout width=4 @ reference \[ok: e2eUs\]/);
    });

    it('no metric in common is an error (exit 2)', () => {
      const out = run(write('b1.json', resultOf(1)), write('b2.json', resultOf(2)), '--metric', 'transitionUs');
      expect(out.status).toBe(2);
      expect(out.stderr).toMatch(/nothing to compare for transitionUs/);
    });

    it('a file holding the same cell twice is refused, naming it (exit 2)', () => {
      const once = resultOf(1);
      const twice = write('twice.json', { ...once, cells: [once.cells[0]!, once.cells[0]!] });
      const out = run(twice, twice);
      expect(out.status).toBe(2);
      expect(out.stderr).toMatch(/twice\.json: cells: the same cell appears more than once \(chain length=3 @ reference\)/);
    });
  });
});
