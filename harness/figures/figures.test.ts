/**
 * Figures from a real (small) run on the reference runtime: every recipe draws, text
 * renders in the PNGs, and the HTML report renders every chart in headless Chromium
 * (shipped by npm: harness/testing/browser.ts).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBrowser } from '../testing/browser.ts';
import { chain } from '../../workloads/chain/index.ts';
import { fanout } from '../../workloads/fanout/index.ts';
import { montage } from '../../workloads/montage/index.ts';
import { yahoo } from '../../workloads/yahoo/index.ts';
import { runPlan } from '../runner/runner.ts';
import type { PlannedCell } from '../runner/plan.ts';
import type { ResultFile } from '../results/schema.ts';
import { RECIPES } from '../../notebooks/index.ts';
import { writeFigures, type FiguresOutput } from './figures.ts';
import { renderFigure } from './render.ts';

let dir: string;
let result: ResultFile;
let output: FiguresOutput;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-figures-'));
  const cells: PlannedCell[] = [
    ...[64, 65_536].map((payloadBytes) => ({ workload: chain, params: { length: 3, payloadBytes }, platform: 'reference' })),
    ...[2, 8].map((width) => ({ workload: fanout, params: { width, payloadBytes: 64 }, platform: 'reference' })),
    { workload: yahoo, params: { eventsPerSecond: 100, seconds: 20, windowSeconds: 5, batches: 2 }, platform: 'reference' },
    { workload: montage, params: { scale: 0.0005 }, platform: 'reference' },
    // A memory sweep: the default cell (1769 MB) and one at 256 MB.
    { workload: fanout, params: { width: 2, payloadBytes: 64 }, platform: 'reference', settings: { memoryMB: 256 } },
  ];
  const plan = { suite: 'test', repetitions: 3, warmup: 1, target: 'local', platforms: ['reference'], workloads: [], faults: {}, nodes: 1, cells } as const;
  result = await runPlan(plan);
  // Open-loop runs at two rates: the throughput figure's points.
  const openAt = (ratePerSec: number) => runPlan({ ...plan, cells: [cells[0]!], load: { mode: 'open', ratePerSec, durationSeconds: 0.5 } });
  const [slow, fast] = [await openAt(40), await openAt(120)];
  output = await writeFigures(
    [
      { file: 'run.json', result },
      { file: 'open-40.json', result: slow },
      { file: 'open-120.json', result: fast },
    ],
    dir,
  );
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('figures', () => {
  test('every recipe has data in this run and writes an SVG and a PNG', () => {
    expect(output.skipped).toEqual([]);
    expect(output.figures.map((f) => f.id)).toEqual(RECIPES.map((r) => r.id));
    for (const figure of output.figures) {
      const svg = readFileSync(figure.svg, 'utf8');
      const title = RECIPES.find((r) => r.id === figure.id)!.title;
      expect(svg).toContain(title.split(' ')[0]);
      expect(svg).toMatch(/<path|<rect|<line/);
      expect(statSync(figure.png).size).toBeGreaterThan(5000);
    }
  });

  test('text renders in PNGs (fonts are loaded, not silently dropped)', async () => {
    // A figure with nothing but its title: every dark pixel of its PNG is text.
    const { png } = await renderFigure({
      data: { values: [] },
      mark: 'text',
      title: 'Only text here',
      width: 200,
      height: 20,
      config: { view: { stroke: null } },
    });
    const darkPixels = (image: Uint8Array) => {
      const embedded = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><image width="600" height="200" href="data:image/png;base64,${Buffer.from(image).toString('base64')}"/></svg>`;
      const pixels = new Resvg(embedded, { background: 'white' }).render().pixels;
      let dark = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128) dark++;
      return dark;
    };
    expect(darkPixels(png)).toBeGreaterThan(200);
  });

  test('the HTML report renders every chart in headless Chromium, with no outside requests', async (context) => {
    const html = readFileSync(output.report, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']https?:/);
    const opened = await openBrowser();
    if ('reason' in opened) {
      if (process.env['CI'] === 'true') throw new Error(opened.reason);
      context.skip(opened.reason);
      return;
    }
    const { browser } = opened;
    try {
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) requested.push(request.url());
      });
      await page.goto(`file://${output.report}`);
      // Page code as text: the project type-checks against Node's globals, not the DOM's.
      await page.waitForFunction(`document.querySelectorAll('div.chart[data-rendered]').length === ${RECIPES.length}`, { timeout: 60_000 });
      const charts = (await page.evaluate(`[...document.querySelectorAll('div.chart')].map((d) => ({
        id: d.id.replace(/^chart-/, ''), state: d.dataset.rendered, marks: d.querySelectorAll('svg [class*="mark-"]').length,
      }))`)) as { id: string; state: string; marks: number }[];
      expect(charts.map((c) => c.id)).toEqual(RECIPES.map((r) => r.id));
      for (const chart of charts) {
        expect({ id: chart.id, state: chart.state }).toEqual({ id: chart.id, state: 'true' });
        expect(chart.marks, chart.id).toBeGreaterThan(0);
      }
      const text = (await page.evaluate('document.body.innerText')) as string;
      expect(text).toContain('Capability matrix');
      expect(text).toContain(result.environment.nodeVersion);
      expect(requested).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
