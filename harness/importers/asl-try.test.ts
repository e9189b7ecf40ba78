/**
 * ASL Retry and Catch imported as the model's try, and the imported state machine run on
 * every platform that has try: the same output everywhere, the oracle's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UnsupportedError, type Deployment, type PlatformAdapter } from '../model/index.ts';
import { InlineAdapter } from '../../platforms/inline/adapter.ts';
import { AsfAdapter } from '../../platforms/asf/adapter.ts';
import { DurableAdapter } from '../../platforms/durable/adapter.ts';
import { UnumAdapter } from '../../platforms/unum/adapter.ts';
import { ReferenceAdapter } from '../../platforms/reference/adapter.ts';
import { importAsl } from './asl.ts';

const EXAMPLES = new URL('../../workloads/examples/asl/', import.meta.url).pathname;
const BOOKING = join(EXAMPLES, 'booking.asl.json');
const ECHO = join(EXAMPLES, 'echo.mapping.json');
const booking = importAsl(BOOKING);
const adapters: PlatformAdapter<Deployment>[] = [
  new InlineAdapter(),
  new AsfAdapter(),
  new DurableAdapter(),
  new UnumAdapter(),
  new ReferenceAdapter({ executors: 2 }),
];
const dir = mkdtempSync(join(tmpdir(), 'baton-asl-try-'));
afterAll(async () => {
  await Promise.all(adapters.map((a) => a.close?.()));
  rmSync(dir, { recursive: true, force: true });
});

describe('ASL Retry and Catch', () => {
  it('import as a try: one retrier, catchers that rejoin the flow', () => {
    const graph = booking.graph({});
    expect(graph).toEqual({
      kind: 'map',
      body: {
        kind: 'sequence',
        steps: [
          {
            kind: 'try',
            body: { kind: 'task', fn: 'reserve' },
            retry: { errors: ['Transient'], maxAttempts: 3, intervalMs: 1000, backoffRate: 2 },
            catch: [{ errors: ['SoldOut'], then: { kind: 'task', fn: 'apologise' } }],
          },
          { kind: 'task', fn: 'confirm' },
        ],
      },
    });
  });

  const expected = [
    { flight: 'LX318', seats: 2, reservation: 'LX318-2', status: 'booked' },
    { flight: 'LX318', seats: 9, status: 'not booked', error: 'SoldOut', cause: 'flight LX318 has 4 seats left, 9 asked for' },
  ];
  for (const adapter of adapters) {
    it(`runs on ${adapter.name} with the same output, or is refused as its capability matrix says`, async () => {
      const workflow = { name: 'booking', graph: booking.graph({}), functionsUrl: booking.functionsUrl };
      if (adapter.capabilities.try.support === 'unsupported') {
        await expect(adapter.deploy(workflow, { target: 'local' })).rejects.toBeInstanceOf(UnsupportedError);
        return;
      }
      const deployment = await adapter.deploy(workflow, { target: 'local' });
      try {
        const input = booking.input({});
        const execution = await adapter.run(deployment, input, { cold: false, faults: {} });
        expect(execution.output).toEqual(expected);
        expect(await booking.verify(execution.output, input, {})).toEqual({ ok: true });
      } finally {
        await adapter.teardown(deployment);
      }
    }, 120_000);
  }

  it('refuses what the try cannot say, naming the state', () => {
    const write = (states: object) => {
      const file = join(dir, `m${Math.random().toString(36).slice(2)}.asl.json`);
      writeFileSync(file, JSON.stringify({ StartAt: 'A', States: states }));
      return `${file}?mapping=${ECHO}`;
    };
    const task = { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:a' };
    const end = { ...task, End: true };
    expect(() => importAsl(write({ A: { ...end, Retry: [{ ErrorEquals: ['X'] }, { ErrorEquals: ['Y'] }] } }))).toThrow(/state 'A': has 2 retriers/);
    expect(() =>
      importAsl(write({ A: { ...task, Next: 'B', Catch: [{ ErrorEquals: ['X'], Next: 'H', ResultPath: '$.e' }] }, B: end, H: { ...task, Next: 'B' } })),
    ).toThrow(/state 'A': a Catch with ResultPath/);
    expect(() => importAsl(write({ A: { ...end, Retry: [{ ErrorEquals: ['States.Timeout'] }] } }))).toThrow(/States\.Timeout: errors of Step Functions itself/);
    expect(() => importAsl(write({ A: { ...task, Next: 'B', Catch: [{ ErrorEquals: ['X'], Next: 'H' }] }, B: end, H: end }))).toThrow(
      /its Catch goes to 'H', which never reaches 'B'/,
    );
  });
});
