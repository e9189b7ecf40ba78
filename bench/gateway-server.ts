/**
 * A reference-runtime node with a trivial 3-function chain behind the HTTP gateway,
 * in its own process, so that the load generator does not share its event loop.
 */
import { RuntimeNode, startGateway } from '../reference-runtime/src/index.ts';
import { watchLoopHealth } from './loop-health.ts';

const node = await RuntimeNode.start({ storeBytes: 64 << 20 });
const call = (to: string) => ({ kind: 'call', fn: 'inc', to: [to] }) as const;
node.register({
  name: 'chain3',
  functionsUrl: new URL('./functions.ts', import.meta.url).href,
  buckets: ['in', 'a', 'b', 'out'],
  entry: 'in',
  result: 'out',
  triggers: [
    { primitive: 'immediate', bucket: 'in', action: call('a') },
    { primitive: 'immediate', bucket: 'a', action: call('b') },
    { primitive: 'immediate', bucket: 'b', action: call('out') },
  ],
});
const gateway = await startGateway(node);
const health = watchLoopHealth();
// The load generator asks for the server's stalls around each rate step.
process.on('message', (message: { type: string }) => {
  if (message.type === 'reset-health') health.reset();
  if (message.type === 'read-health') process.send!({ type: 'health', health: health.read() });
});
process.send!({ url: gateway.url });
process.on('disconnect', () => process.exit(0));
