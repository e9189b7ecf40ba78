/**
 * `baton serve durable` as a user runs it: the real command in a child process, on an
 * app folder of the user's with its own node_modules (its own copies of
 * durable-functions and @azure/functions, and no @azure/functions-core, which only the
 * Functions worker provides), driven by the app's HTTP starter and the real SDK client.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, test } from 'vitest';
import type { DurableClientData } from './webhooks.ts';
import { clientFor, finished } from './test-apps/client.ts';

const BIN = new URL('../../bin/baton.js', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
const SAMPLES = new URL('./test-apps/sdk-samples/', import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'baton-serve-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The samples app in a folder of its own: real copies of the Azure packages, links for their plain dependencies. */
function appWithOwnModules(): string {
  const app = join(dir, 'app');
  cpSync(SAMPLES, app, { recursive: true });
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, '@azure'), { recursive: true });
  cpSync(join(ROOT, 'node_modules/durable-functions'), join(modules, 'durable-functions'), { recursive: true, dereference: true });
  for (const name of ['functions', 'functions-extensions-base'])
    cpSync(join(ROOT, 'node_modules/@azure', name), join(modules, '@azure', name), { recursive: true, dereference: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry.startsWith('.') || entry === 'durable-functions' || entry === '@azure') continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  return app;
}

test('serves a user app with its own node_modules: one JSON line, its HTTP starters under /api/, the SDK client, SIGTERM stops it', async () => {
  const app = appWithOwnModules();
  const child = spawn(process.execPath, [BIN, 'serve', 'durable', '--app', app, '--store', join(dir, 'store')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`baton serve durable exited (${code}): ${stderr}`)));
    });
    const served = JSON.parse(line) as { durable: string; clientData: DurableClientData; key: string };
    expect(served.durable).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const started = await fetch(`${served.durable}/api/orchestrators/helloSequence`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': served.key },
      body: 'null',
    });
    expect(started.status).toBe(202);
    const { id, statusQueryGetUri } = (await started.json()) as { id: string; statusQueryGetUri: string };
    expect(new URL(statusQueryGetUri).origin).toBe(served.durable);
    const client = clientFor(served.clientData);
    expect((await finished(client, id)).output).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello Cairo']);
    expect((await finished(client, await client.startNew('sayHelloWithActivity', { input: 'Kharkiv' }))).output).toBe('Hello Kharkiv');
  } finally {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
});

test.each([
  [['serve', 'durable'], /--app is required/],
  [['serve', 'durable', '--app', '/no/such/app'], /--app \/no\/such\/app: no such file or folder/],
  [['serve', 'asf', '--app', '.'], /--app is not an option of this platform/],
  [['serve', 'durable', '--app', SAMPLES, '--port', 'x'], /--port x: expected a TCP port number/],
])('baton %j: exit 2 with the reason', (args, message) => {
  const child = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  expect(child.status).toBe(2);
  expect(child.stderr).toMatch(message);
});
