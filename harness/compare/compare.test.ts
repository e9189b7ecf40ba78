import { mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeHistogram, histogramOf, initHistograms, withHistogram } from '../metrics/histogram.ts';
import { mulberry32, summarize } from '../metrics/summary.ts';
import { writeResultFile } from '../results/io.ts';
import { captureEnvironment } from '../results/environment.ts';
import { RESULT_SCHEMA_VERSION, type ResultFile } from '../results/schema.ts';
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

  it('exits 0 when nothing regressed, 1 on a regression (with a Markdown table), 2 on a bad file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-compare-'));
    const files = { a1: join(dir, 'a1.json'), a2: join(dir, 'a2.json'), slow: join(dir, 'slow.json') };
    writeResultFile(files.a1, resultOf(1));
    writeResultFile(files.a2, resultOf(2));
    writeResultFile(files.slow, resultOf(3, 1.2));
    const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'compare', ...args], { encoding: 'utf8' });
    expect(run(files.a1, files.a2).status).toBe(0);
    const regressed = run(files.a1, files.slow, '--markdown');
    expect(regressed.status).toBe(1);
    expect(regressed.stdout).toMatch(/\| \*\*regression\*\* \|/);
    const bad = run(files.a1, join(dir, 'missing.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/missing\.json: cannot read/);
    expect(run(files.a1, files.a2, '--threshold', 'lots').status).toBe(2);
  });
});
