/**
 * A reference-runtime node with a trivial 3-function chain behind the HTTP gateway,
 * in its own process, so that the load generator does not share its event loop.
 */
import { RuntimeNode, startGateway } from '../reference-runtime/src/index.ts';

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
process.send!({ url: gateway.url });
process.on('disconnect', () => process.exit(0));
