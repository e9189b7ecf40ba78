/**
 * A figure from its Vega-Lite spec: compiled to Vega, rendered headless to SVG (vega's
 * own renderer, no browser), and rasterized to PNG by resvg. resvg has no fonts of its
 * own and silently drops text without them, so the DejaVu fonts (an npm package) are
 * loaded explicitly and every chart is told to use them.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_FAMILY = 'DejaVu Sans';
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => join(FONT_DIR, f));

/** Fonts and a plain, paper-like look for every figure. */
export const FIGURE_CONFIG = {
  font: FONT_FAMILY,
  view: { stroke: '#888' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.4 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

export interface RenderedFigure {
  /** The Vega spec (what the HTML report renders in the browser). */
  readonly vegaSpec: vega.Spec;
  readonly svg: string;
  readonly png: Uint8Array;
}

export async function renderFigure(spec: TopLevelSpec, pngScale = 2): Promise<RenderedFigure> {
  const vegaSpec = compile({ ...spec, config: { ...FIGURE_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: pngScale },
      background: 'white',
      font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    })
      .render()
      .asPng();
    return { vegaSpec, svg, png };
  } finally {
    view.finalize();
  }
}
