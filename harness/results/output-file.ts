/**
 * Where a run writes its result file, settled before anything runs: an `--out` that
 * cannot be written (a directory, a path under a file, a read-only folder) is bad input,
 * found at once rather than after the whole suite. Default names never collide: they
 * carry milliseconds and a random suffix, and are reserved by an exclusive create.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../model/errors.ts';

/** Checks that `file` can be written (creating its folder); exit 2 naming the problem otherwise. */
export function checkWritable(file: string, option = '--out'): string {
  const path = resolve(file);
  const stat = statOrUndefined(path);
  if (stat?.isDirectory()) throw new InputError('E_BAD_INPUT', `${option} ${file}: is a directory; expected a file path`);
  let ancestor = dirname(path);
  while (!statOrUndefined(ancestor)) ancestor = dirname(ancestor);
  if (!statOrUndefined(ancestor)!.isDirectory()) throw new InputError('E_BAD_INPUT', `${option} ${file}: ${ancestor} is a file, not a folder`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
    if (stat) accessSync(path, constants.W_OK);
  } catch (error) {
    throw new InputError('E_BAD_INPUT', `${option} ${file}: cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return path;
}

/** Checks that `dir` is, or can be made, a writable folder; exit 2 naming the problem otherwise. */
export function checkWritableDir(dir: string, option = '--out'): string {
  const path = resolve(dir);
  let ancestor = path;
  while (!statOrUndefined(ancestor)) ancestor = dirname(ancestor);
  if (!statOrUndefined(ancestor)!.isDirectory()) throw new InputError('E_BAD_INPUT', `${option} ${dir}: ${ancestor} is a file, not a folder`);
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
  } catch (error) {
    throw new InputError('E_BAD_INPUT', `${option} ${dir}: cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return path;
}

/** A new result file name in `dir` for `suite`, created empty and exclusively so no other run takes it. */
export function reserveResultFile(dir: string, suite: string): string {
  mkdirSync(dir, { recursive: true });
  for (;;) {
    const stamp = new Date().toISOString().replace(/[-:]/g, '');
    const file = resolve(dir, `${stamp}-${randomBytes(3).toString('hex')}-${suite.replace(/[^\w.-]/g, '_')}.json`);
    try {
      closeSync(openSync(file, 'wx'));
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new InputError('E_BAD_INPUT', `${dir}: cannot create a result file there (${(error as NodeJS.ErrnoException).code})`);
      }
    }
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
