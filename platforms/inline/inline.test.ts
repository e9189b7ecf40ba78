import { describe, expect, it } from 'vitest';
import { chain } from '../../workloads/chain/index.ts';
import { InlineAdapter } from './index.ts';

describe('inline', () => {
  const adapter = new InlineAdapter();
  const params = { length: 3, payloadBytes: 64 };
  const workflow = { name: 'chain', graph: chain.graph(params), functionsUrl: chain.functionsUrl };

  it('counts a cold start for the first call of each function, and for every call when cold is forced', async () => {
    const deployment = await adapter.deploy(workflow, { target: 'local' });
    const first = await adapter.run(deployment, chain.input(params), { cold: false, faults: {} });
    const second = await adapter.run(deployment, chain.input(params), { cold: false, faults: {} });
    const forced = await adapter.run(deployment, chain.input(params), { cold: true, faults: {} });
    // The chain calls one function three times: its first call loaded it.
    expect(first.trace.invocations.map((i) => i.cold)).toEqual([true, false, false]);
    expect(second.trace.invocations.map((i) => i.cold)).toEqual([false, false, false]);
    expect(forced.trace.invocations.map((i) => i.cold)).toEqual([true, false, false]);
    expect(await chain.verify(forced.output, chain.input(params), params)).toEqual({ ok: true });
  });

  it('refuses the cloud target as unsupported', async () => {
    await expect(adapter.deploy(workflow, { target: 'cloud' })).rejects.toThrow(/inline --target cloud: .*nothing to deploy/);
  });
});
