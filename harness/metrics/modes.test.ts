import { describe, expect, it } from 'vitest';
import { mulberry32 } from './summary.ts';
import { isBimodal } from './modes.ts';

const random = mulberry32(7);
const around = (centerUs: number, n: number) => Array.from({ length: n }, () => centerUs * (1 + 0.2 * (random() - 0.5)));

describe('two modes', () => {
  it('are found where a fast and a slow path each carry a good share', () => {
    expect(isBimodal([...around(1000, 300), ...around(5000, 200)])).toBe(true);
  });
  it('are not found in one skewed hill, nor for a few outliers', () => {
    const skewed = Array.from({ length: 500 }, () => 1000 * (1 + 0.3 * random() + (random() < 0.05 ? 3 * random() : 0)));
    expect(isBimodal(skewed)).toBe(false);
    expect(isBimodal([...around(1000, 480), ...around(9000, 20)])).toBe(false);
  });
});
