/**
 * The highest open-loop rate at which a trivial 3-function chain, started through
 * the gateway, keeps p99 latency under a bound.
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { openLoop } from '../harness/load/open-loop.ts';
import { type LoopHealth, stealMs, watchLoopHealth } from './loop-health.ts';

export interface RateStep {
  readonly ratePerSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly errors: number;
  /** Completed requests per second: below the rate, the server (or the generator) did not keep up. */
  readonly achievedPerSec: number;
  readonly passed: boolean;
  /** The gateway process's event-loop delay and GC pauses during the step, and the load generator's. */
  readonly server: LoopHealth;
  readonly client: LoopHealth;
  /** CPU time the hypervisor took from this VM during the step (Linux), ms. */
  readonly stealMs: number | undefined;
}

const WARMUP_MS = 6000;

export async function gatewayThroughput(rates: readonly number[], stepMs: number, p99BoundUs: number): Promise<RateStep[]> {
  const server = fork(new URL('./gateway-server.ts', import.meta.url), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  try {
    const url = new URL(await new Promise<string>((resolve) => server.once('message', (m: { url: string }) => resolve(m.url))));
    const serverHealth = (): Promise<LoopHealth> =>
      new Promise((resolve) => {
        const onMessage = (m: { type?: string; health?: LoopHealth }): void => {
          if (m.type !== 'health') return;
          server.off('message', onMessage);
          resolve(m.health!);
        };
        server.on('message', onMessage);
        server.send({ type: 'read-health' });
      });
    const client = watchLoopHealth();
    const send = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: url.hostname, port: url.port, path: '/apps/chain3/invoke', method: 'POST', agent, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
          },
        );
        req.on('error', reject);
        req.end('1');
      });
    // Warm-up under load, long enough for V8 to have optimized the hot paths of both
    // processes: in a fresh server the first seconds stall for 10-40 ms at a time while
    // the JIT compiles on the same two cores (the first rate step measured showed it, at any rate).
    for (let i = 0; i < 200; i++) await send();
    (await openLoop({ ratePerSec: 2000, durationMs: WARMUP_MS, send, drainMs: 5000 })).latencyUs.destroy();
    const steps: RateStep[] = [];
    for (const ratePerSec of rates) {
      server.send({ type: 'reset-health' });
      client.reset();
      const stealBefore = stealMs();
      const result = await openLoop({ ratePerSec, durationMs: stepMs, send, drainMs: 5000 });
      const clientHealth = client.read();
      const stealAfter = stealMs();
      const step = {
        ratePerSec,
        p50Us: result.latencyUs.getValueAtPercentile(50),
        p99Us: result.latencyUs.getValueAtPercentile(99),
        errors: result.errors,
        achievedPerSec: result.achievedPerSec,
        passed: result.errors === 0 && result.latencyUs.getValueAtPercentile(99) < p99BoundUs && result.achievedPerSec >= 0.95 * ratePerSec,
        server: await serverHealth(),
        client: clientHealth,
        stealMs: stealBefore === undefined || stealAfter === undefined ? undefined : stealAfter - stealBefore,
      };
      result.latencyUs.destroy();
      steps.push(step);
      process.stderr.write(
        `  ${ratePerSec}/s: achieved ${step.achievedPerSec.toFixed(0)}/s, p50 ${step.p50Us} µs, p99 ${step.p99Us} µs, ${step.errors} errors; ` +
          `server loop delay p99 ${step.server.loopDelayP99Us.toFixed(0)} µs max ${step.server.loopDelayMaxUs.toFixed(0)} µs, GC max ${step.server.gcPauseMaxMs.toFixed(1)} ms; ` +
          `client loop delay max ${step.client.loopDelayMaxUs.toFixed(0)} µs, GC max ${step.client.gcPauseMaxMs.toFixed(1)} ms; steal ${step.stealMs ?? '?'} ms\n`,
      );
      if (!step.passed && steps.at(-2)?.passed === false) break; // two failures in a row: past the knee
    }
    client.stop();
    return steps;
  } finally {
    agent.destroy();
    server.kill();
  }
}
