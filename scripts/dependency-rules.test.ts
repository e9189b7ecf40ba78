/**
 * The dependency rules bite: a tree with a forbidden arrow or a cycle, checked with the
 * repository's own .dependency-cruiser.cjs, fails naming the rule and the files.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'baton-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(files: Record<string, string>): { status: number | null; output: string } {
  const tree = mkdtempSync(join(dir, 'tree-'));
  writeFileSync(join(tree, 'tsconfig.json'), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true, module: 'nodenext' } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  const run = spawnSync(
    join(ROOT, 'node_modules/.bin/depcruise'),
    ['harness', 'platforms', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'],
    { cwd: tree, encoding: 'utf8' },
  );
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('dependency rules', () => {
  it('pass a tree that keeps them', () => {
    const result = check({
      'harness/model/index.ts': 'export const x = 1;\n',
      'platforms/demo/adapter.ts': "import { x } from '../../harness/model/index.ts';\nexport const y = x;\n",
    });
    expect(result.output).toContain('no dependency violations');
    expect(result.status).toBe(0);
  });

  it('fail a platform that imports harness/runner', () => {
    const result = check({
      'harness/runner/runner.ts': 'export const run = 1;\n',
      'platforms/demo/adapter.ts': "import { run } from '../../harness/runner/runner.ts';\nexport const y = run;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/platform-imports-model-kit-and-own-folder: platforms\/demo\/adapter\.ts → harness\/runner\/runner\.ts/);
  });

  it('fail an import cycle', () => {
    const result = check({
      'harness/model/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'harness/model/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
      'platforms/demo/adapter.ts': 'export const y = 1;\n',
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no-cycles');
  });
});
