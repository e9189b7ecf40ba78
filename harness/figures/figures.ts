/**
 * `baton figures`: every figure the result files allow (SVG + PNG each, from its
 * recipe in notebooks/) and one HTML report.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { initHistograms } from '../metrics/histogram.ts';
import { writeFileAtomic } from '../results/io.ts';
import type { ResultFile } from '../results/schema.ts';
import { PLATFORMS } from '../registry/platforms.ts';
import { RECIPES } from '../../notebooks/index.ts';
import { cellsOf } from './cells.ts';
import { renderFigure } from './render.ts';
import { reportHtml, type ReportFigure } from './report.ts';

export interface FiguresOutput {
  readonly figures: readonly { id: string; svg: string; png: string }[];
  /** Recipes the results had no data for. */
  readonly skipped: readonly string[];
  readonly report: string;
}

export async function writeFigures(
  results: readonly { file: string; result: ResultFile }[],
  outDir: string,
  onFigure?: (id: string) => void,
): Promise<FiguresOutput> {
  await initHistograms();
  mkdirSync(outDir, { recursive: true });
  const cells = cellsOf(results);
  const figures: ReportFigure[] = [];
  const written: { id: string; svg: string; png: string }[] = [];
  const skipped: string[] = [];
  for (const [i, recipe] of RECIPES.entries()) {
    const spec = recipe.build(cells);
    if (!spec) {
      skipped.push(recipe.id);
      continue;
    }
    const rendered = await renderFigure(spec);
    const base = join(outDir, `${String(i + 1).padStart(2, '0')}-${recipe.id}`);
    writeFileAtomic(`${base}.svg`, rendered.svg);
    writeFileAtomic(`${base}.png`, rendered.png);
    written.push({ id: recipe.id, svg: `${base}.svg`, png: `${base}.png` });
    figures.push({
      id: recipe.id,
      title: recipe.title,
      caption: recipe.caption,
      vegaSpec: rendered.vegaSpec,
      files: [`${base}.svg`, `${base}.png`].map((f) => relative(outDir, f)),
    });
    onFigure?.(recipe.id);
  }
  const adapters = [...PLATFORMS.values()].map((entry) => entry.create({ nodes: 1 }));
  const report = join(outDir, 'report.html');
  writeFileAtomic(report, reportHtml({ figures, cells, adapters, generatedAt: new Date().toISOString() }));
  return { figures: written, skipped, report };
}
