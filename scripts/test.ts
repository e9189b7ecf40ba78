/**
 * `npm test`: type-check, check the dependency rules (.dependency-cruiser.cjs), lint and
 * format (biome.json), run every test with vitest, and end with the line
 * `N passed, N failed` (read by CI's test counter, which does not read vitest's summary).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const REPORT = '.vitest-report.json';
const bin = (name: string): string => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

const tsc = spawnSync(bin('tsc'), ['--noEmit'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('type check failed');
  process.exit(tsc.status ?? 1);
}

/** The folders whose imports the rules cover. */
const SOURCE_DIRS = ['bin', 'harness', 'platforms', 'workloads', 'reference-runtime', 'bench', 'scripts', 'notebooks'];
const rules = spawnSync(bin('depcruise'), [...SOURCE_DIRS, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { stdio: 'inherit' });
if (rules.status !== 0) {
  console.error('dependency rules broken (.dependency-cruiser.cjs says why each rule exists)');
  process.exit(rules.status ?? 1);
}

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
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(vitest.status === 0 && failed === 0 ? 0 : 1);
