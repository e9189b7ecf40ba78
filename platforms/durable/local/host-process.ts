/** Starts the local Durable host as a child process and waits until it serves. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { DurableClientData } from '../webhooks.ts';

export interface HostProcess {
  readonly url: string;
  /** The host's key: its API wants it as `code=` (the client data's URLs carry it). */
  readonly key: string;
  readonly clientData: DurableClientData;
  readonly child: ChildProcess;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash) and wait for the exit. */
  kill(): Promise<void>;
  /** Why the host is gone (exit code or signal and the end of its stderr), or undefined while it runs. */
  exitReason(): string | undefined;
  /** The end of what the host wrote to stderr (its last 4000 characters). */
  stderr(): string;
}

export interface HostProcessOptions {
  /** The app: a module (path or file URL) that registers the functions when imported, or a folder with a package.json `main`. */
  readonly appUrl: string;
  /** Port to listen on (default: a free one). */
  readonly port?: number;
  /** App settings: environment of the host process. */
  readonly env?: Readonly<Record<string, string>>;
  readonly storeDir?: string;
  readonly workers?: number;
  /** Payload one instance may carry, in MB (default: the host's). */
  readonly maxInstanceMb?: number;
}

const MAIN = new URL('./host-main.ts', import.meta.url);
const START_TIMEOUT_MS = 30_000;

export async function startHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  const args = [MAIN.pathname, '--app', options.appUrl];
  if (options.storeDir) args.push('--store', options.storeDir);
  if (options.workers) args.push('--workers', String(options.workers));
  if (options.maxInstanceMb) args.push('--max-instance-mb', String(options.maxInstanceMb));
  if (options.port !== undefined) args.push('--port', String(options.port));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ url: string; key: string; clientData: DurableClientData }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local Durable host did not start in ${START_TIMEOUT_MS / 1000} s: ${stderr}`)), START_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { url: string; key: string; clientData: DurableClientData });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local Durable host exited (code ${code}) before it served: ${stderr}`));
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  const exitReason = () => {
    if (child.exitCode === null && child.signalCode === null) return undefined;
    const lines = stderr.trim().split('\n');
    const error = lines.findLast((l) => /^\w*Error\b|^Error:/.test(l.trim())) ?? lines.at(-1) ?? 'no message';
    return `the local Durable host exited (${child.signalCode ?? `code ${child.exitCode}`}): ${error.trim()}`;
  };
  return { ...ready, child, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL'), exitReason, stderr: () => stderr };
}
