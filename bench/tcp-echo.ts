/** A TCP echo server on 127.0.0.1 in its own process (the floor for cross-node transitions). */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.pipe(socket);
});
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
