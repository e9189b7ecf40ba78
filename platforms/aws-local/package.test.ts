import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROBE_FUNCTIONS_URL } from '../../harness/conformance/probes.ts';
import { chain } from '../../workloads/chain/index.ts';
import { buildPackage } from './package.ts';

const HANDLER = new URL('../asf/handler.ts', import.meta.url).href;

/** This process's esbuild service child, if it runs. */
function esbuildService(): number | undefined {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' }).trim().split('\n');
  for (const row of rows) {
    const [pid, ppid, comm] = row.trim().split(/\s+/);
    if (Number(ppid) === process.pid && comm === 'esbuild') return Number(pid);
  }
  return undefined;
}

describe('Lambda packages', () => {
  it('builds again after the esbuild service died', async () => {
    expect((await buildPackage(PROBE_FUNCTIONS_URL, HANDLER)).length).toBeGreaterThan(1000);
    const service = esbuildService();
    expect(service).toBeDefined();
    process.kill(service!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Another bundle (not the cached one): a new service has to do it.
    expect((await buildPackage(chain.functionsUrl, HANDLER)).length).toBeGreaterThan(1000);
  });
});
