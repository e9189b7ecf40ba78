/** The Durable adapter end to end on its local host: faults, cold starts, usage, the deployable project. */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { decodeValue, encodeValue } from '../../harness/model/index.ts';
import { evaluate } from '../../harness/semantics/evaluate.ts';
import { chain } from '../../workloads/chain/index.ts';
import { fanout } from '../../workloads/fanout/index.ts';
import { durableClient } from './client.ts';
import { writeFunctionApp } from './function-app.ts';
import { startHostProcess } from './local/host-process.ts';
import { DurableAdapter } from './index.ts';
import { PROBE_FUNCTIONS_URL } from '../../harness/conformance/probes.ts';

const REPO_NODE_MODULES = new URL('../../node_modules', import.meta.url);

describe('durable adapter', () => {
  const adapter = new DurableAdapter();
  afterAll(() => adapter.close());
  const params = { width: 8, payloadBytes: 512 };
  const workflow = { name: 'fanout', graph: fanout.graph(params), functionsUrl: fanout.functionsUrl };

  test('injected activity failures are retried and the output is still right', async () => {
    const deployment = await adapter.deploy(workflow, { target: 'local' });
    const input = fanout.input(params);
    const execution = await adapter.run(deployment, input, { cold: false, faults: { 'activity-error': 0.3 } });
    expect(await fanout.verify(execution.output, input, params)).toEqual({ ok: true });
    // Only first attempts fail, so every run completes. 10 activities at p = 0.3: no failure at all in four runs has odds 0.7^40.
    let injected = execution.faults?.['activity-error'] ?? 0;
    for (let i = 0; injected === 0 && i < 3; i++)
      injected = (await adapter.run(deployment, input, { cold: false, faults: { 'activity-error': 0.3 } })).faults?.['activity-error'] ?? 0;
    expect(injected).toBeGreaterThan(0);
    await adapter.teardown(deployment);
  });

  test('an activity that exits its process fails the run at once with the reason, and the worker slot comes back', async () => {
    const exiting = await adapter.deploy({ name: 'exits', graph: { kind: 'task', fn: 'exitProcess' }, functionsUrl: PROBE_FUNCTIONS_URL }, { target: 'local' });
    // A deadline far past the test's own timeout: the run must fail on the exit (three attempts), not wait for it.
    await expect(adapter.run(exiting, 1, { cold: false, faults: {}, timeoutMs: 3_600_000 })).rejects.toThrow(
      /activity worker exited with code 3 .*Runtime exited/,
    );
    await adapter.teardown(exiting);
    const fine = await adapter.deploy({ name: 'fine', graph: { kind: 'task', fn: 'inc' }, functionsUrl: PROBE_FUNCTIONS_URL }, { target: 'local' });
    expect((await adapter.run(fine, 1, { cold: false, faults: {} })).output).toBe(2);
    await adapter.teardown(fine);
  });

  test('usage, replay times and cold starts come from the histories', async () => {
    const deployment = await adapter.deploy(workflow, { target: 'local' });
    const input = fanout.input(params);
    await adapter.run(deployment, input, { cold: false, faults: {} });
    const warm = await adapter.run(deployment, input, { cold: false, faults: {} });
    const cold = await adapter.run(deployment, input, { cold: true, faults: {} });
    await adapter.teardown(deployment);
    // scatter, 8 x work, gather: 10 activities; episodes: start + scatter + one per work result (at most) + gather.
    expect(warm.trace.invocations).toHaveLength(10);
    const executions = warm.usage!['azure.functions.execution']!;
    expect(executions).toBeGreaterThanOrEqual(10 + 4);
    expect(executions).toBeLessThanOrEqual(10 + 11);
    expect(warm.partsUs?.replayUs?.length).toBe(executions - 10);
    expect(warm.usage!['azure.storage.queue.operation']).toBe(3 * (10 + 1 + 10)); // work items, start, completions
    expect(warm.trace.invocations.every((r) => !r.cold)).toBe(true);
    expect(cold.trace.invocations.some((r) => r.cold)).toBe(true);
  });
});

test('first-of over multi-step branches (sub-orchestrations): k = 1 by Task.any, k = 2 by end time', async () => {
  const adapter = new DurableAdapter();
  try {
    const inc = { kind: 'task', fn: 'inc' } as const;
    const branches = [
      { kind: 'sequence', steps: [inc, inc, inc] },
      { kind: 'sequence', steps: [inc, { kind: 'task', fn: 'double' }] },
      { kind: 'task', fn: 'double' },
    ] as const;
    for (const k of [1, 2]) {
      const deployment = await adapter.deploy(
        { name: 'first', graph: { kind: 'firstOf', k, branches }, functionsUrl: PROBE_FUNCTIONS_URL },
        { target: 'local' },
      );
      const { output } = await adapter.run(deployment, 5, { cold: false, faults: {} });
      await adapter.teardown(deployment);
      expect(output).toHaveLength(k);
      for (const value of output as number[]) expect([8, 12, 10]).toContain(value);
    }
  } finally {
    await adapter.close();
  }
});

test('the cloud target drives a Function App through its webhook URLs and key (here the local host stands in for Azure)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-durable-cloud-'));
  const saved = { ...process.env };
  const adapter = new DurableAdapter();
  const params = { width: 3, payloadBytes: 32 };
  writeFileSync(join(dir, 'graph.json'), JSON.stringify(fanout.graph(params)));
  const host = await startHostProcess({
    appUrl: new URL('./baton-app.ts', import.meta.url).href,
    env: { BATON_DURABLE_GRAPH: join(dir, 'graph.json'), BATON_DURABLE_FUNCTIONS: fanout.functionsUrl },
  });
  try {
    delete process.env['BATON_DURABLE_URL'];
    await expect(adapter.deploy({ name: 'fanout', graph: fanout.graph(params), functionsUrl: fanout.functionsUrl }, { target: 'cloud' })).rejects.toThrow(
      /BATON_DURABLE_URL/,
    );
    const input = fanout.input(params);
    // A wrong key is refused, as the Function App refuses it.
    Object.assign(process.env, { BATON_DURABLE_URL: host.url, BATON_DURABLE_KEY: 'not-the-key' });
    const refused = await adapter.deploy({ name: 'fanout', graph: fanout.graph(params), functionsUrl: fanout.functionsUrl }, { target: 'cloud' });
    await expect(adapter.run(refused, input, { cold: false, faults: {} })).rejects.toThrow(/401/);
    Object.assign(process.env, { BATON_DURABLE_KEY: host.key });
    const deployment = await adapter.deploy({ name: 'fanout', graph: fanout.graph(params), functionsUrl: fanout.functionsUrl }, { target: 'cloud' });
    expect(deployment.clientData.rpcBaseUrl).toBe('');
    expect(deployment.clientData.managementUrls['statusQueryGetUri']).toContain(`code=${host.key}`);
    const execution = await adapter.run(deployment, input, { cold: false, faults: {} });
    expect(await fanout.verify(execution.output, input, params)).toEqual({ ok: true });
    expect(execution.trace.clock).toBe('epoch');
    expect(execution.trace.invocations).toHaveLength(5);
    await expect(adapter.run(deployment, input, { cold: true, faults: {} })).rejects.toThrow(/cold starts/);
  } finally {
    process.env = saved;
    await adapter.close();
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`baton deploy durable` writes a Function App that runs the workflow (loaded by the local host)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-durable-app-'));
  try {
    const params = { length: 3, payloadBytes: 64 };
    const graph = chain.graph(params);
    const files = await writeFunctionApp({ name: 'chain', graph, functionsUrl: chain.functionsUrl }, dir);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(['README.md', 'dist/app.js', 'host.json', 'local.settings.json', 'package.json']);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };
    expect(pkg.dependencies).toHaveProperty('durable-functions');
    expect(JSON.parse(readFileSync(join(dir, 'host.json'), 'utf8'))).toMatchObject({
      version: '2.0',
      extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle' },
    });
    // What `npm install` would provide in the app folder: the same packages Baton uses.
    symlinkSync(REPO_NODE_MODULES, join(dir, 'node_modules'), 'dir');
    const host = await startHostProcess({ appUrl: pathToFileURL(join(dir, pkg.main)).href });
    try {
      const client = durableClient(host.clientData);
      const input = chain.input(params);
      const id = await client.startNew('BatonWorkflow', { input: encodeValue(input) });
      let status = await client.getStatus(id);
      while (status.runtimeStatus === 'Running' || status.runtimeStatus === 'Pending') {
        await new Promise((resolve) => setTimeout(resolve, 10));
        status = await client.getStatus(id);
      }
      expect(status.runtimeStatus).toBe('Completed');
      const { functions } = (await import(chain.functionsUrl)) as { functions: Parameters<typeof evaluate>[2] };
      expect(decodeValue(status.output)).toEqual(await evaluate(graph, input, functions));
    } finally {
      await host.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
