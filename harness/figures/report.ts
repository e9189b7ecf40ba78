/**
 * The HTML report: one self-contained file (no CDN, no other file needed). Every figure
 * is drawn in the browser by the Vega runtime, inlined, from its compiled spec; then the
 * latency and cost table, the capability matrix and every cell with its environment.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NODE_KINDS, type Capability, type PlatformAdapter } from '../model/index.ts';
import type { Spec } from 'vega';
import { cellLabel, type FigureCell } from './cells.ts';
import { latencyCostRows } from '../../notebooks/04-latency-cost.ts';
import { STORAGE_HEADER, storageRows } from '../results/storage-rows.ts';

const require = createRequire(import.meta.url);

export interface ReportFigure {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly vegaSpec: Spec;
  readonly files: readonly string[];
}

export function reportHtml(input: {
  figures: readonly ReportFigure[];
  cells: readonly FigureCell[];
  adapters: readonly PlatformAdapter[];
  generatedAt: string;
}): string {
  // vega's exports map hides build/; its main entry sits in that folder.
  const vegaJs = readFileSync(join(dirname(require.resolve('vega')), 'vega.min.js'), 'utf8');
  const specs = Object.fromEntries(input.figures.map((f) => [f.id, f.vegaSpec]));
  const files = [...new Set(input.cells.map((c) => c.file))];
  const sections = [
    `<h1>Baton report</h1><p>Generated ${esc(input.generatedAt)} from ${files.length} result file(s). ${input.cells.length} cells, ${input.figures.length} figures.</p>`,
    ...input.figures.map(
      (f) =>
        `<section class="figure"><h2>${esc(f.title)}</h2><div class="chart" id="chart-${esc(f.id)}" data-figure="${esc(f.id)}"></div><p class="caption">${esc(f.caption)} Files: ${f.files.map((p) => `<code>${esc(p)}</code>`).join(', ')}</p></section>`,
    ),
    `<section><h2>Latency and cost</h2>${tableHtml(
      ['cell', 'platform', 'e2e p50 (ms)', '$ per 1M executions'],
      latencyCostRows(input.cells).map((r) => [r.cell, r.platform, r.e2eMs.toPrecision(3), r.usdPerMillion === null ? '–' : r.usdPerMillion.toFixed(2)]),
    )}</section>`,
    ...(storageRows(input.cells).length > 0
      ? [`<section><h2>Storage for functions, per run</h2>${tableHtml(STORAGE_HEADER, storageRows(input.cells))}</section>`]
      : []),
    `<section><h2>Capability matrix</h2>${capabilityTable(input.adapters)}</section>`,
    `<section><h2>Cells and their environments</h2>${tableHtml(
      ['cell', 'platform', 'status', 'runs', 'result file', 'commit', 'node', 'CPU', 'cores', 'memory', 'OS', 'target'],
      input.cells.map((c) => [
        cellLabel(c),
        c.platform,
        c.status + (c.status === 'ok' ? '' : `: ${c.reason}`),
        String(c.runs.measured),
        c.file,
        c.environment.batonCommit.slice(0, 12) + (c.environment.batonDirty ? ' (dirty)' : ''),
        c.environment.nodeVersion,
        c.environment.cpuModel,
        String(c.environment.cores),
        `${(c.environment.memoryBytes / 2 ** 30).toFixed(1)} GiB`,
        c.environment.os,
        c.environment.target,
      ]),
    )}</section>`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baton report</title>
<style>
body { font-family: 'DejaVu Sans', sans-serif; margin: 2em; color: #222; max-width: 1400px; }
table { border-collapse: collapse; font-size: 13px; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.caption { color: #555; max-width: 900px; }
.chart { overflow-x: auto; }
.unsupported { color: #a00; } .workaround { color: #a60; }
</style>
<script>${vegaJs.replaceAll('</script', '<\\/script')}</script>
</head><body>
${sections.join('\n')}
<script>
const specs = ${JSON.stringify(specs).replaceAll('<', '\\u003c')};
for (const element of document.querySelectorAll('.chart')) {
  const view = new vega.View(vega.parse(specs[element.dataset.figure]), { renderer: 'svg', container: element, hover: true });
  view.runAsync().then(() => { element.dataset.rendered = 'true'; }, (error) => { element.dataset.rendered = 'error'; element.textContent = String(error); });
}
</script>
</body></html>
`;
}

function capabilityTable(adapters: readonly PlatformAdapter[]): string {
  const cell = (c: Capability) =>
    c.support === 'native'
      ? 'native'
      : `<span class="${c.support}" title="${esc(c.support === 'workaround' ? c.how : c.reason)}">${c.support}</span>: ${esc(c.support === 'workaround' ? c.how : c.reason)}`;
  const rows = [
    ...NODE_KINDS.map((kind) => [kind, ...adapters.map((a) => cell(a.capabilities[kind]))]),
    ...(['local', 'cloud'] as const).map((t) => [`target ${t}`, ...adapters.map((a) => cell(a.targets[t]))]),
    ['faults', ...adapters.map((a) => esc(Object.keys(a.faults).join(', ') || 'none'))],
  ];
  return `<table><tr><th>node kind</th>${adapters.map((a) => `<th>${esc(a.name)}</th>`).join('')}</tr>${rows
    .map(
      (r) =>
        `<tr><td>${r[0]}</td>${r
          .slice(1)
          .map((v) => `<td>${v}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</table>`;
}

function tableHtml(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}</table>`;
}

function esc(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
