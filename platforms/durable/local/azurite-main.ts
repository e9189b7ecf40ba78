/**
 * Azurite's command line in a child process that ends with its parent: Baton forks it with
 * an IPC channel, and when that closes (Baton closed it, or Baton was killed -9) Azurite is
 * told to stop by the SIGTERM its own handler waits for. The open channel would keep the
 * process alive after Azurite's servers close, so the channel is how it is stopped.
 * The arguments are Azurite's own.
 */
import { createRequire } from 'node:module';

process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
createRequire(import.meta.url)('azurite/dist/src/azurite.js');
