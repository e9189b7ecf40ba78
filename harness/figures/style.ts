/**
 * What every figure draws the same way: one colour per platform (the registry's order,
 * then any other platform a result file names), a mechanism's dash and shape, and panels
 * in the numeric order of their parameters, not the text order of their labels.
 */
import { PLATFORMS, platformSettings } from '../registry/platforms.ts';
import type { CellResult } from '../results/schema.ts';

/** Tableau 10, then more: enough for every platform in the registry and a few from older result files. */
const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac', '#1f77b4', '#8c564b'];

/** The colour scale of `platform`: the same platform has the same colour in every figure. */
export function platformColor(platforms: Iterable<string>, field = 'platform') {
  const present = [...new Set(platforms)];
  const domain = [...PLATFORMS.keys()];
  for (const name of present) if (!domain.includes(name)) domain.push(name);
  const range = domain.map((_, i) => PALETTE[i % PALETTE.length]!);
  // The legend lists the platforms drawn, in the registry's order.
  return { field, type: 'nominal', title: 'platform', scale: { domain, range }, legend: { values: domain.filter((d) => present.includes(d)) } } as const;
}

/** How the cell's data travelled, when a platform setting says so: `s3`, `redis`, `nested`; else the platform's own way. */
export function mechanismOf(cell: Pick<CellResult, 'params'>): string {
  const passing = cell.params['dataPassing'];
  return typeof passing === 'string' ? passing : 'own';
}

/** A series: the platform and, where a setting changed it, the mechanism (`asf + s3`). */
export function seriesOf(cell: Pick<CellResult, 'platform' | 'params'>): string {
  const mechanism = mechanismOf(cell);
  return mechanism === 'own' ? cell.platform : `${cell.platform} + ${mechanism}`;
}

/**
 * Cells in the order their panels should come: by workload, then by each parameter's
 * value (numbers as numbers: 16384 before 1048576), then by platform.
 */
export function inPanelOrder<T extends Pick<CellResult, 'workload' | 'params' | 'platform'>>(cells: readonly T[]): T[] {
  const compare = (a: number | string | undefined, b: number | string | undefined): number => {
    if (a === b) return 0;
    if (a === undefined) return -1;
    if (b === undefined) return 1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a).localeCompare(String(b));
  };
  return [...cells].sort((x, y) => {
    if (x.workload !== y.workload) return x.workload.localeCompare(y.workload);
    const keys = [...new Set([...Object.keys(x.params), ...Object.keys(y.params)])].sort();
    for (const key of keys) {
      const order = compare(x.params[key], y.params[key]);
      if (order !== 0) return order;
    }
    return x.platform.localeCompare(y.platform);
  });
}

/** The params that are platform settings (dataPassing, offloadBytes): a series' mark, not a panel's. */
const SETTING_KEYS: ReadonlySet<string> = new Set([...platformSettings().values()].flatMap((settings) => Object.keys(settings)));

/** A panel's title: the workload and its own params (`chain length=2 payloadBytes=1024`), not the platform's settings. */
export function panelLabel(cell: Pick<CellResult, 'workload' | 'params'>): string {
  const params = Object.entries(cell.params)
    .filter(([key]) => !SETTING_KEYS.has(key))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return params ? `${cell.workload} ${params}` : cell.workload;
}

/** The facet header every panel figure uses, sorted by `order` (the panel's index in `inPanelOrder`). */
export function panelRows(field = 'cell') {
  return {
    field,
    type: 'nominal',
    title: null,
    sort: { field: 'order', op: 'min' },
    header: { labelAngle: 0, labelAlign: 'left', labelOrient: 'top', labelFontWeight: 'bold', labelLimit: 600 },
  } as const;
}
