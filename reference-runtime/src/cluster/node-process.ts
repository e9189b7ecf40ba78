/**
 * A runtime node as its own process: started by `Cluster` with `fork`, driven over
 * IPC (start, peers, register, invoke), talking to the other nodes over TCP on
 * 127.0.0.1.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { AppSpec } from '../app.ts';
import { RuntimeNode } from '../node.ts';
import type { RuntimeValue } from '../value.ts';
import { Peers, type PeerAddress } from './peers.ts';
import type { PlacementPolicy } from './placement.ts';
import { Link } from './wire.ts';

type Command =
  | { type: 'init'; name: string; executors: number; storeBytes: number; placement: PlacementPolicy; secret: string }
  | { type: 'peers'; peers: PeerAddress[] }
  | { type: 'register'; id: number; app: AppSpec }
  | { type: 'unregister'; id: number; name: string }
  | { type: 'restart'; id: number }
  | { type: 'invoke'; id: number; app: string; input: RuntimeValue }
  | { type: 'peerDied'; name: string };

let node: RuntimeNode | undefined;
let peers: Peers | undefined;
const send = (message: unknown): void => void process.send!(message);

process.on('message', (command: Command) => {
  void handle(command).catch((error: Error) => send({ type: 'fatal', message: error.message }));
});
process.on('disconnect', () => process.exit(0)); // the cluster's process is gone

async function handle(command: Command): Promise<void> {
  switch (command.type) {
    case 'init': {
      node = await RuntimeNode.start({ name: command.name, executors: command.executors, storeBytes: command.storeBytes });
      const distribution = new Peers(node, command.placement, command.secret);
      peers = distribution;
      node.distribute(distribution);
      const server = createServer(
        (socket) =>
          new Link(
            socket,
            (message, reply) => distribution.handle(message, reply),
            () => {},
            { secret: command.secret, accepting: true },
          ),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      send({ type: 'ready', port: (server.address() as AddressInfo).port, executors: node.executorCount });
      return;
    }
    case 'peers':
      await peers!.connect(command.peers);
      send({ type: 'connected' });
      return;
    case 'register':
      node!.register(command.app);
      send({ type: 'done', id: command.id });
      return;
    case 'unregister':
      node!.unregister(command.name);
      send({ type: 'done', id: command.id });
      return;
    case 'restart':
      await node!.restartExecutors();
      send({ type: 'done', id: command.id });
      return;
    case 'invoke':
      node!.invoke(command.app, command.input).then(
        (result) => send({ type: 'result', id: command.id, result }),
        (error: Error) => send({ type: 'failed', id: command.id, message: error.message }),
      );
      return;
    case 'peerDied':
      peers?.peerDied(command.name);
      return;
  }
}
