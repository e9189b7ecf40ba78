/** The try action: a body run as a sub-session, retried, then caught; one trace for all of it. */
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeNode } from '../src/index.ts';
import { app } from './helpers.ts';

let runtime: RuntimeNode | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

describe('a try action', () => {
  const body = app('try-body', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'boom', to: ['out'] } }]);
  const handler = app('try-handler', [{ primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'identity', to: ['out'] } }]);
  const guarded = (catches: { errors: string[]; app: string }[]) =>
    app('guarded', [
      { primitive: 'immediate', bucket: 'in', action: { kind: 'call', fn: 'square', to: ['a'] } },
      {
        primitive: 'immediate',
        bucket: 'a',
        action: { kind: 'try', body: 'try-body', retry: { errors: ['*'], maxAttempts: 3, intervalMs: 5, backoffRate: 2 }, catches, to: ['out'] },
      },
    ]);

  it('retries its body as a sub-session, then hands { error, cause, input } to the catch, in one trace', async () => {
    const node = await RuntimeNode.start({ executors: 1 });
    runtime = node;
    for (const spec of [body, handler, guarded([{ errors: ['Error'], app: 'try-handler' }])]) node.register(spec);
    const result = await node.invoke('guarded', 3);
    expect(result.output).toEqual({ error: 'Error', cause: 'boom', input: 9 });
    // square, then the handler; the three failed attempts produced nothing and are not in the trace.
    const [square, identity] = result.invocations;
    expect(result.invocations.map((i) => i.fn)).toEqual(['square', 'identity']);
    expect(identity!.parents).toEqual([square!.id]);
    expect(result.outputFrom).toEqual([identity!.id]);
  });

  it('fails the session when no catch takes the error', async () => {
    const node = await RuntimeNode.start({ executors: 1 });
    runtime = node;
    for (const spec of [body, handler, guarded([{ errors: ['SomethingElse'], app: 'try-handler' }])]) node.register(spec);
    await expect(node.invoke('guarded', 3)).rejects.toThrow(/function 'boom' failed: boom/);
  });
});
