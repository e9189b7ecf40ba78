/**
 * Floors measured on this machine in the same run as the figures they bound:
 * a one-way postMessage hop between two worker threads, and a TCP round trip on
 * 127.0.0.1 between two Node processes.
 */
import { fork } from 'node:child_process';
import { connect } from 'node:net';
import { MessageChannel, Worker } from 'node:worker_threads';

const SENDER = `
const { workerData } = require('node:worker_threads');
const { port, count } = workerData;
let sent = 0;
const send = () => { if (sent++ < count) port.postMessage(process.hrtime.bigint()); };
port.on('message', send);
send();
`;
const RECEIVER = `
const { parentPort, workerData } = require('node:worker_threads');
const { port, count } = workerData;
const hopsNs = [];
port.on('message', (sentNs) => {
  hopsNs.push(Number(process.hrtime.bigint() - sentNs));
  if (hopsNs.length === count) { parentPort.postMessage(hopsNs); port.close(); }
  else port.postMessage('ack');
});
`;

/** One-way hop latencies, µs; one message at a time (the sender waits for an ack). */
export async function workerHopsUs(count: number): Promise<number[]> {
  const { port1, port2 } = new MessageChannel();
  const receiver = new Worker(RECEIVER, { eval: true, workerData: { port: port2, count }, transferList: [port2] });
  const done = new Promise<number[]>((resolve, reject) => {
    receiver.once('message', resolve);
    receiver.once('error', reject);
  });
  const sender = new Worker(SENDER, { eval: true, workerData: { port: port1, count }, transferList: [port1] });
  try {
    return (await done).map((ns) => ns / 1000);
  } finally {
    await Promise.all([sender.terminate(), receiver.terminate()]);
  }
}

/** Round trips of a 1 KB message to an echo server in another process, µs. */
export async function tcpRoundTripsUs(count: number): Promise<number[]> {
  const echo = fork(new URL('./tcp-echo.ts', import.meta.url), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((resolve) => echo.once('message', (m: { port: number }) => resolve(m.port)));
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    await new Promise((resolve) => socket.once('connect', resolve));
    const message = Buffer.alloc(1024, 1);
    const roundTrips: number[] = [];
    for (let i = 0; i < count; i++) {
      const startNs = process.hrtime.bigint();
      let received = 0;
      await new Promise<void>((resolve) => {
        const onData = (chunk: Buffer): void => {
          received += chunk.length;
          if (received < message.length) return;
          socket.off('data', onData);
          resolve();
        };
        socket.on('data', onData);
        socket.write(message);
      });
      roundTrips.push(Number(process.hrtime.bigint() - startNs) / 1000);
    }
    socket.destroy();
    return roundTrips;
  } finally {
    echo.kill();
  }
}
