/** `baton figures [FILES...] --out DIR`: figures and the HTML report from result files. */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkWritableDir } from '../results/output-file.ts';
import { InputError } from '../model/errors.ts';
import { writeFigures } from '../figures/figures.ts';
import { readResultFile } from '../results/io.ts';

const RUNS_DIR = resolve('results/runs');

export async function figuresCommand(files: string[], options: { out: string }): Promise<void> {
  const out = checkWritableDir(options.out);
  const chosen = files.length > 0 ? files : latestRun();
  const results = [];
  for (const file of chosen) results.push({ file, result: await readResultFile(file) });
  process.stderr.write(`figures from ${chosen.join(', ')}\n`);
  const written = await writeFigures(results, out, (id) => process.stderr.write(`  ${id}\n`));
  if (written.skipped.length > 0) process.stderr.write(`  no data for: ${written.skipped.join(', ')}\n`);
  process.stdout.write(`${[...written.figures.flatMap((f) => [f.svg, f.png]), written.report].join('\n')}\n`);
}

function latestRun(): string[] {
  const runs = existsSync(RUNS_DIR)
    ? readdirSync(RUNS_DIR)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  if (runs.length === 0) throw new InputError('E_BAD_INPUT', `no result files given and none in ${RUNS_DIR}: run \`baton run\` first, or name result files`);
  return [join(RUNS_DIR, runs.at(-1)!)];
}
