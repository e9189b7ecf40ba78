/**
 * `baton deploy unum --workload W --out DIR`: what Unum's compiler would leave for the
 * workflow: every function's `unum_config.json` (in `DIR/<Name>/`, as Unum puts one in
 * each function's folder) and the whole IR in `DIR/unum-ir.json`.
 *
 * - `asl:FILE`: the IR Unum's own compiler writes for that Step Functions definition
 *   (`unum-compiler.ts`, trimmed as the Unum app store's builds are); no mapping file is
 *   needed, since the IR names functions after their `Resource` and needs no code.
 * - Any other workload: the IR Baton's port runs (`compile.ts`), in the same files.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../harness/model/errors.ts';
import type { WorkflowDefinition } from '../../harness/model/index.ts';
import { compileUnum } from './compile.ts';
import { compileUnumIr } from './unum-compiler.ts';

export async function writeUnumProject(workflow: WorkflowDefinition, outDir: string): Promise<string[]> {
  const ir = compileUnum(workflow.graph);
  return writeConfigs(Object.values(ir.configs), outDir);
}

/** The IR of a Step Functions definition file as Unum's compiler writes it. */
export async function writeUnumAslProject(definitionFile: string, outDir: string): Promise<string[]> {
  let definition: unknown;
  try {
    definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
  } catch (error) {
    throw new InputError(
      'E_BAD_INPUT',
      `${definitionFile}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON: ${(error as Error).message}`}`,
    );
  }
  return writeConfigs(compileUnumIr(definition, definitionFile, { trim: true }), outDir);
}

async function writeConfigs(configs: readonly { readonly Name: string }[], outDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const config of configs) {
    const dir = join(outDir, config.Name.replace(/[^A-Za-z0-9_.$-]/g, '_'));
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'unum_config.json');
    await writeWhole(file, JSON.stringify(config, null, 4));
    written.push(file);
  }
  const whole = join(outDir, 'unum-ir.json');
  await writeWhole(whole, `${JSON.stringify(configs, null, 4)}\n`);
  return [...written, whole];
}

/** Written aside and renamed over: a reader never sees half a file. */
async function writeWhole(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}
