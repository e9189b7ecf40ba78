import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../model/errors.ts';
import { ReferenceAdapter } from '../../platforms/reference/index.ts';
import { importAsl } from './asl.ts';

const CORPUS = new URL('../../data/asl/', import.meta.url).pathname;
const EXAMPLES = new URL('../../workloads/examples/asl/', import.meta.url).pathname;
const ECHO = join(EXAMPLES, 'echo.mapping.json');
const adapter = new ReferenceAdapter({ executors: 2 });
afterAll(() => adapter.close());

async function runOnce(file: string) {
  const workload = importAsl(file);
  const deployment = await adapter.deploy({ name: 'asl', graph: workload.graph({}), functionsUrl: workload.functionsUrl }, { target: 'local' });
  const input = workload.input({});
  const execution = await adapter.run(deployment, input, { cold: false, faults: {} });
  return { output: execution.output, verdict: await workload.verify(execution.output, input, {}) };
}

describe('ASL importer', () => {
  it('imports a state machine with Map, lambda:invoke and Choice, and runs it', async () => {
    const { output, verdict } = await runOnce(join(EXAMPLES, 'order.asl.json'));
    expect(verdict).toEqual({ ok: true });
    expect(output).toEqual({ total: 115, status: 'held for review' });
  });

  const corpus = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json') && !f.startsWith('aws-recorded/')) // recorded executions, not definitions
    .sort();
  it('finds the shared corpus', () => expect(corpus.length).toBe(17));
  for (const file of corpus) {
    it(`${file}: runs, or is refused with the state and the reason`, async () => {
      const path = join(CORPUS, file);
      const outcome = await runOnce(`${path}?mapping=${ECHO}`).catch((error: unknown) => error);
      if (outcome instanceof InputError) {
        expect(outcome.exitCode).toBe(2);
        expect(outcome.message.startsWith(path)).toBe(true);
        expect(outcome.message).toMatch(/not a valid state machine|state '[^']+': .+/);
        if (file.includes('invalid-')) expect(outcome.message).toMatch(/not a valid state machine/);
      } else {
        expect(file).not.toMatch(/invalid-/);
        expect((outcome as { verdict: unknown }).verdict).toEqual({ ok: true });
      }
    });
  }

  it('asks for a mapping file when there is none, naming the file and its shape', () => {
    expect(() => importAsl(join(CORPUS, 'asl-validator/valid-choice-state.json'))).toThrow(/needs a mapping file .*valid-choice-state\.mapping\.json/);
  });

  it('refuses a Choice loop with the state and the reason (exit 2), never a stack overflow', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-asl-'));
    try {
      const file = join(dir, 'loop.asl.json');
      writeFileSync(
        file,
        JSON.stringify({
          StartAt: 'Work',
          States: {
            Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', Next: 'Again' },
            Again: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 10, Next: 'Work' }], Default: 'Done' },
            Done: { Type: 'Succeed' },
          },
        }),
      );
      const attempt = () => importAsl(`${file}?mapping=${ECHO}`);
      expect(attempt).toThrow(InputError);
      expect(attempt).toThrow(/loop\.asl\.json: state 'Work': the flow comes back to this state \(a loop\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
