/**
 * `npm test`: type-check, check the dependency rules (.dependency-cruiser.cjs), lint and
 * format (biome.jsonc), run every test with vitest, and end with the line
 * `N passed, N failed` (read by CI's test counter, which does not read vitest's summary).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const REPORT = '.vitest-report.json';
const bin = (name: string): string => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

/** A check before the tests: on failure, stop with a closing line that counts it as failed. */
function gate(command: string, args: readonly string[], what: string): void {
  const run = spawnSync(bin(command), args, { stdio: 'inherit' });
  if (run.status === 0) return;
  console.error(what);
  console.log('0 passed, 1 failed');
  process.exit(run.status ?? 1);
}

gate('tsc', ['--noEmit'], 'type check failed');
/** The folders whose imports the rules cover. */
const SOURCE_DIRS = ['bin', 'harness', 'platforms', 'workloads', 'reference-runtime', 'bench', 'scripts', 'notebooks'];
gate(
  'depcruise',
  [...SOURCE_DIRS, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
  'dependency rules broken (.dependency-cruiser.cjs says why each rule exists)',
);
gate('biome', ['ci', '--reporter=summary'], 'lint or format check failed (npx biome check --write fixes what it can)');

rmSync(REPORT, { force: true });
const vitest = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(REPORT, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  passed = report.numPassedTests;
  // A test file that fails to load has no failed test in it: count it, so the line never says 0 failed on a red run.
  failed = report.numFailedTests + (report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
  skipped = report.numPendingTests + report.numTodoTests;
} catch {
  failed = Math.max(failed, 1); // no report: vitest itself failed
}
// Every test passed but vitest failed the run (an unhandled error outside any test): count it, so the line agrees with the exit code.
if (vitest.status !== 0 && failed === 0) {
  console.error('vitest failed the run outside any test (see "Unhandled Errors" above)');
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(vitest.status === 0 && failed === 0 ? 0 : 1);
