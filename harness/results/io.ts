/**
 * Reading and writing result files. Writes are atomic (temp file + rename), so a
 * crash or a bad run never leaves a half-written file or clobbers a good one.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InputError } from '../model/errors.ts';
import { decodeHistogram, initHistograms } from '../metrics/histogram.ts';
import { RESULT_SCHEMA_VERSION, ResultFileSchema, type ResultFile } from './schema.ts';
import { formatZodIssue } from './zod-errors.ts';

export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text, { flush: true });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function writeResultFile(file: string, result: ResultFile): void {
  writeFileAtomic(file, `${JSON.stringify(ResultFileSchema.parse(result), null, 2)}\n`);
}

/** Reads and validates a result file; every problem is an InputError naming the file and the field. */
export async function readResultFile(file: string): Promise<ResultFile> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('E_BAD_RESULT_FILE', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError('E_BAD_RESULT_FILE', `${file}: not valid JSON (${(error as Error).message})`);
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof json === 'object' && json !== null && version !== RESULT_SCHEMA_VERSION) {
    throw new InputError(
      'E_BAD_RESULT_FILE',
      `${file}: schemaVersion: expected ${RESULT_SCHEMA_VERSION}, found ${JSON.stringify(version)} (written by another Baton version)`,
    );
  }
  const parsed = ResultFileSchema.safeParse(json);
  if (!parsed.success) throw new InputError('E_BAD_RESULT_FILE', `${file}: ${formatZodIssue(parsed.error.issues[0]!)}`);
  await initHistograms();
  parsed.data.cells.forEach((cell, i) => {
    for (const [metric, encoded] of Object.entries(cell.histograms)) {
      try {
        decodeHistogram(encoded!).destroy();
      } catch {
        throw new InputError('E_BAD_RESULT_FILE', `${file}: cells[${i}].histograms.${metric}: not a compressed HDR histogram`);
      }
    }
  });
  return parsed.data;
}
