/**
 * The floor for a same-node transition: one `postMessage` hop from one worker thread
 * to another (one way), timed with the shared monotonic clock. Messages go one at a
 * time (the sender waits for an ack), so no hop waits behind another.
 */
import { MessageChannel, Worker } from 'node:worker_threads';

const SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
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

/** One-way hop latencies in microseconds. */
export async function measureWorkerHopsUs(count: number): Promise<number[]> {
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
