/**
 * Suites are data: which workloads, with which parameter sweeps, on which platforms,
 * how many times. Built-in suites live in harness/suites/; a user may pass a file.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../model/errors.ts';
import { formatZodIssue } from '../results/zod-errors.ts';

/** A number (a workload's parameter) or a word (a platform option's choice), or a list of them (a sweep). */
const paramValue = z.union([z.number(), z.string(), z.array(z.union([z.number(), z.string()])).min(1)]);

export const SuiteSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  repetitions: z.number().int().min(1).max(100_000),
  warmup: z.number().int().min(0).max(10_000),
  /** Stop measuring a cell after this many seconds (at least MIN_BUDGETED_RUNS measured runs); omitted: no limit. */
  cellBudgetSeconds: z.number().positive().max(86_400).optional(),
  /** A run's deadline for this suite's cells (`--run-timeout` overrides it); omitted: 120 s. */
  runTimeoutSeconds: z.number().positive().max(86_400).optional(),
  /** Omitted: every registered platform. */
  platforms: z.array(z.string()).min(1).optional(),
  workloads: z.array(z.strictObject({ name: z.string().min(1), params: z.record(z.string(), paramValue).optional() })).min(1),
});

export type Suite = z.infer<typeof SuiteSchema>;

const BUILT_IN_DIR = new URL('../suites/', import.meta.url);

export function builtInSuiteNames(): string[] {
  return readdirSync(BUILT_IN_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort((a, b) => (a === 'smoke' ? -1 : b === 'smoke' ? 1 : a.localeCompare(b)));
}

/** A built-in suite by name, or a suite file by path. */
export function loadSuite(nameOrFile: string): { suite: Suite; file: string } {
  const isPath = nameOrFile.includes('/') || nameOrFile.endsWith('.json');
  const file = isPath ? nameOrFile : new URL(`${nameOrFile}.json`, BUILT_IN_DIR).pathname;
  if (!existsSync(file)) {
    if (isPath) throw new InputError('E_UNKNOWN_SUITE', `suite file ${file} does not exist`);
    throw new InputError('E_UNKNOWN_SUITE', `unknown suite '${nameOrFile}': expected one of ${builtInSuiteNames().join(', ')} or a path to a suite .json file`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError('E_BAD_SUITE', `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = SuiteSchema.safeParse(json);
  if (!parsed.success) throw new InputError('E_BAD_SUITE', `${file}: ${formatZodIssue(parsed.error.issues[0]!)}`);
  return { suite: parsed.data, file };
}

/** Lists as the suite gives them: a single number becomes a one-value sweep. */
export function suiteParamLists(params: Suite['workloads'][number]['params']): Map<string, (number | string)[]> {
  return new Map(Object.entries(params ?? {}).map(([key, value]) => [key, Array.isArray(value) ? value : [value]]));
}
