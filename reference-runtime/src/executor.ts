/**
 * An executor thread: loads functions modules on first use, runs one function at a
 * time, and times the user code from inside the thread.
 */
import { parentPort, threadId } from 'node:worker_threads';
import type { CallMessage, ReplyMessage } from './protocol.ts';
import { allocShared, toShared, type RuntimeValue } from './value.ts';

type RuntimeFunction = (input: RuntimeValue, ctx: unknown) => RuntimeValue | Promise<RuntimeValue>;

const modules = new Map<string, Readonly<Record<string, RuntimeFunction>>>();
const port = parentPort!;

async function load(url: string): Promise<{ functions: Readonly<Record<string, RuntimeFunction>>; cold: boolean }> {
  const cached = modules.get(url);
  if (cached) return { functions: cached, cold: false };
  const mod = (await import(url)) as { functions?: Record<string, RuntimeFunction> };
  if (!mod.functions) throw new Error(`${url} does not export 'functions'`);
  modules.set(url, mod.functions);
  return { functions: mod.functions, cold: true };
}

port.on('message', async (call: CallMessage) => {
  let cold = false;
  let startNs = process.hrtime.bigint();
  let reply: ReplyMessage;
  try {
    const loaded = await load(call.functionsUrl);
    cold = loaded.cold;
    const fn = loaded.functions[call.fn];
    if (!fn) throw new Error(`function '${call.fn}' is not exported by ${call.functionsUrl}`);
    const ctx = {
      invocationId: call.invocationId,
      log: (message: string) => console.error(`[${call.fn} ${call.invocationId}] ${message}`),
      now: () => process.hrtime.bigint(),
      alloc: allocShared,
    };
    startNs = process.hrtime.bigint();
    const output = await fn(call.input, ctx);
    const endNs = process.hrtime.bigint();
    const shared = toShared(output);
    reply = { type: 'done', callId: call.callId, output: shared.value, startNs, endNs, cold, copiedBytes: shared.copiedBytes };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply = { type: 'failed', callId: call.callId, message, startNs, endNs: process.hrtime.bigint(), cold };
  }
  port.postMessage(reply);
});

port.postMessage({ type: 'ready', threadId });
