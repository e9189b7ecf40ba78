/** Every figure recipe, in the order of the report (DESIGN: one recipe per figure). */
import type { Recipe } from '../harness/figures/recipe.ts';
import { dataPassing } from './01-data-passing.ts';
import { transitionCdf } from './02-transition-cdf.ts';
import { fanout } from './03-fanout.ts';
import { latencyCost } from './04-latency-cost.ts';
import { overhead } from './05-overhead.ts';
import { yahooWindows } from './06-yahoo-windows.ts';
import { montage } from './07-montage.ts';
import { memory } from './08-memory.ts';
import { throughput } from './09-throughput.ts';

export const RECIPES: readonly Recipe[] = [dataPassing, transitionCdf, fanout, latencyCost, overhead, yahooWindows, montage, memory, throughput];
