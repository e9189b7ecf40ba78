/**
 * The highest open-loop rate at which a trivial 3-function chain, started through
 * the gateway, keeps p99 latency under a bound.
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { openLoop } from '../harness/load/open-loop.ts';

export interface RateStep {
  readonly ratePerSec: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly errors: number;
  /** Completed requests per second: below the rate, the server (or the generator) did not keep up. */
  readonly achievedPerSec: number;
  readonly passed: boolean;
}

export async function gatewayThroughput(rates: readonly number[], stepMs: number, p99BoundUs: number): Promise<RateStep[]> {
  const server = fork(new URL('./gateway-server.ts', import.meta.url), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  try {
    const url = new URL(await new Promise<string>((resolve) => server.once('message', (m: { url: string }) => resolve(m.url))));
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
    for (let i = 0; i < 200; i++) await send(); // warm-up
    const steps: RateStep[] = [];
    for (const ratePerSec of rates) {
      const result = await openLoop({ ratePerSec, durationMs: stepMs, send, drainMs: 5000 });
      const step = {
        ratePerSec,
        p50Us: result.latencyUs.getValueAtPercentile(50),
        p99Us: result.latencyUs.getValueAtPercentile(99),
        errors: result.errors,
        achievedPerSec: result.achievedPerSec,
        passed: result.errors === 0 && result.latencyUs.getValueAtPercentile(99) < p99BoundUs && result.achievedPerSec >= 0.95 * ratePerSec,
      };
      result.latencyUs.destroy();
      steps.push(step);
      process.stderr.write(
        `  ${ratePerSec}/s: achieved ${step.achievedPerSec.toFixed(0)}/s, p50 ${step.p50Us} µs, p99 ${step.p99Us} µs, ${step.errors} errors\n`,
      );
      if (!step.passed && steps.at(-2)?.passed === false) break; // two failures in a row: past the knee
    }
    return steps;
  } finally {
    agent.destroy();
    server.kill();
  }
}
