/**
 * Unum's IR written by hand, run by Unum's rules: the expressions of its runtime, the
 * routing of Unum's own ExCamera IR (the app store's unum_config.json files, unchanged,
 * in workloads/examples/unum/excamera), and whole runs of that app and of Unum's
 * self-invoking chain on the Lambda and DynamoDB stand-ins.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initHistograms } from '../../harness/metrics/histogram.ts';
import { runCell } from '../../harness/runner/run-cell.ts';
import { importUnumApp } from '../../harness/importers/unum-app.ts';
import { InputError } from '../../harness/model/errors.ts';
import type { ForeignNode } from '../../harness/model/index.ts';
import { UnumAdapter, compileUnum } from './index.ts';
import { applyModifiers, conditionHolds, expandName, parseExpression } from './wrapper/expressions.ts';
import { handwrittenRoutes } from './wrapper/handwritten-routing.ts';

const EXCAMERA = 'workloads/examples/unum/excamera';
const CHAIN = 'workloads/examples/unum/chain';

beforeAll(() => initHistograms());

describe("Unum's expressions", () => {
  const at = (index: number, size: number) => ({ indexes: [index], size, ret: null });

  it("reads Conditionals as Unum's runtime does, with the invoker's index and size", () => {
    expect(conditionHolds('$0 < $size-1', at(2, 4))).toBe(true);
    expect(conditionHolds('$0 < $size-1', at(3, 4))).toBe(false);
    expect(conditionHolds('$0<$size-1 and $0>0', at(0, 4))).toBe(false);
    expect(conditionHolds('$0<$size-1 and $0>0', at(1, 4))).toBe(true);
    expect(conditionHolds('$0 == 1 or not $0 > 2', at(2, 4))).toBe(true);
    expect(conditionHolds("$ret == 'done'", { indexes: [], size: undefined, ret: 'done' })).toBe(true);
    expect(conditionHolds(undefined, at(0, 1))).toBe(true);
    expect(conditionHolds('$1 * 2 + $0 // 2 == 5', { indexes: [3, 2], size: 4, ret: null })).toBe(true);
  });

  it('expands fan-in names: positional variables, arithmetic in parentheses, and * over the innermost fan-out', () => {
    expect(expandName('xcdec-unumIndex-($0-1)', at(3, 8))).toEqual(['xcdec-unumIndex-2']);
    expect(expandName('vpxenc-unumIndex-$0', at(3, 8))).toEqual(['vpxenc-unumIndex-3']);
    expect(expandName('F1-unumIndex-*', at(1, 3))).toEqual(['F1-unumIndex-0', 'F1-unumIndex-1', 'F1-unumIndex-2']);
    expect(expandName('C-unumIndex-*.$1', { indexes: [0, 5], size: 2, ret: null })).toEqual(['C-unumIndex-0.5', 'C-unumIndex-1.5']);
  });

  it('runs Next Payload Modifiers on the fan-out: $0=$0+1 moves on, Pop leaves a level', () => {
    expect(applyModifiers(['$0=$0+1'], [{ Index: 2, Size: 5 }], null)).toEqual([{ Index: 3, Size: 5 }]);
    expect(
      applyModifiers(
        ['Pop'],
        [
          { Index: 1, Size: 2 },
          { Index: 4, Size: 9 },
        ],
        null,
      ),
    ).toEqual([{ Index: 1, Size: 2 }]);
    expect(
      applyModifiers(
        ['$1=$1+2'],
        [
          { Index: 1, Size: 5 },
          { Index: 4, Size: 9 },
        ],
        null,
      ),
    ).toEqual([
      { Index: 3, Size: 5 },
      { Index: 4, Size: 9 },
    ]);
    expect(applyModifiers(['$0=$0+1'], [], null)).toEqual([]); // no Fan-out: nothing to change, as in Unum
  });

  it('refuses what is not one of its expressions, naming the problem', () => {
    expect(() => parseExpression('$0 < ')).toThrow(/ends too early/);
    expect(() => parseExpression('__import__("os")')).toThrow(/unexpected/);
    expect(() => parseExpression('($0 + 1')).toThrow(/not closed/);
  });
});

describe("Unum's own ExCamera IR, routed by Unum's rules", () => {
  const ir = compileUnum(importUnumApp(EXCAMERA).graph({}));
  const size = 8;
  const routes = (name: string, index: number) =>
    handwrittenRoutes(ir.configs[name]!, [{ Index: index, Size: size }], {}, `${name}-unumIndex-${index}`).map((r) =>
      r.kind === 'fanin' ? `${r.target} <- [${r.branches.join(', ')}] as ${r.index}` : `${r.node}-unumIndex-${r.fanout.map((f) => f.Index).join('.')}`,
    );

  it('pairs every chunk with its neighbour: pipelined pairwise fan-ins, no barrier', () => {
    expect(ir.start).toBe('UnumMap0');
    expect(routes('vpxenc', 0)).toEqual(['xcdec-unumIndex-0']);
    expect(routes('vpxenc', 1)).toEqual(['xcdec-unumIndex-1', 'rebase-unumIndex-1 <- [vpxenc-unumIndex-1, xcdec-unumIndex-0] as 0']);
    expect(routes('vpxenc', 3)).toEqual(['xcdec-unumIndex-3', 'reencode-unumIndex-3 <- [vpxenc-unumIndex-3, xcdec-unumIndex-2] as 0']);
    expect(routes('vpxenc', 7)).toEqual(['reencode-unumIndex-7 <- [vpxenc-unumIndex-7, xcdec-unumIndex-6] as 0']);
    // xcdec's modifier ($0=$0+1) sends it to its successor's fan-in.
    expect(routes('xcdec', 0)).toEqual(['rebase-unumIndex-1 <- [vpxenc-unumIndex-1, xcdec-unumIndex-0] as 1']);
    expect(routes('xcdec', 2)).toEqual(['reencode-unumIndex-3 <- [vpxenc-unumIndex-3, xcdec-unumIndex-2] as 1']);
    expect(routes('reencode', 4)).toEqual(['rebase-unumIndex-4 <- [rebase-unumIndex-3, reencode-unumIndex-4] as 1']);
    expect(routes('rebase', 3)).toEqual(['rebase-unumIndex-4 <- [rebase-unumIndex-3, reencode-unumIndex-4] as 0']);
    expect(routes('rebase', 7)).toEqual([]); // the last rebase ends the workflow
  });
});

describe('Unum IR written by hand, run', () => {
  it("runs Unum's ExCamera IR as written, under all four faults: every chunk rebased, the stream decodes to the source", async () => {
    const adapter = new UnumAdapter();
    try {
      const cell = await runCell(
        adapter,
        { workload: importUnumApp(EXCAMERA), params: {}, platform: 'unum' },
        {
          repetitions: 2,
          warmup: 0,
          target: 'local',
          faults: { duplicate: 0.3, 'crash-before-checkpoint': 0.1, 'crash-after-checkpoint': 0.1, 'crash-after-fan-in-check': 0.3 },
        },
      );
      expect(cell).toMatchObject({ status: 'ok', verified: true });
      expect(cell.faults!['duplicatesInjected']).toBeGreaterThan(0);
    } finally {
      await adapter.close();
    }
  }, 180_000);

  it("has the app's shape in its trace: each rebase waits for the rebase before it and its own chunk's re-encode", async () => {
    const adapter = new UnumAdapter();
    const workload = importUnumApp(EXCAMERA);
    try {
      const deployment = await adapter.deploy({ name: 'excamera', graph: workload.graph({}), functionsUrl: workload.functionsUrl }, { target: 'local' });
      const execution = await adapter.run(deployment, workload.input({}), { cold: false, faults: {}, timeoutMs: 120_000 });
      expect(await workload.verify(execution.output, workload.input({}), {})).toEqual({ ok: true });
      const count = (fn: string) => execution.trace.invocations.filter((i) => i.fn === fn).length;
      // 8 chunks: one split, 8 encodes, 7 decodes, 6 re-encodes (chunks 2..7), 7 rebases (chunks 1..7).
      expect([count('UnumMap0'), count('vpxenc'), count('xcdec'), count('reencode'), count('rebase')]).toEqual([1, 8, 7, 6, 7]);
      const rebase4 = execution.trace.invocations.find((i) => i.id === 'rebase-unumIndex-4')!;
      expect([...rebase4.parents].sort()).toEqual(['rebase-unumIndex-3', 'reencode-unumIndex-4']);
      await adapter.teardown(deployment);
    } finally {
      await adapter.close();
    }
  }, 180_000);

  it("runs Unum's self-invoking chain benchmark: one function invoking itself fanoutSize - 1 times", async () => {
    const adapter = new UnumAdapter();
    const workload = importUnumApp(CHAIN);
    try {
      const deployment = await adapter.deploy(
        { name: 'chain', graph: workload.graph({ fanoutSize: 12 }), functionsUrl: workload.functionsUrl },
        { target: 'local' },
      );
      const execution = await adapter.run(deployment, workload.input({}), { cold: false, faults: {}, timeoutMs: 120_000 });
      expect(await workload.verify(execution.output, workload.input({}), {})).toEqual({ ok: true });
      expect(execution.trace.invocations.map((i) => i.id).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `ChainPass-unumIndex-${i}`).sort());
      await adapter.teardown(deployment);
    } finally {
      await adapter.close();
    }
  }, 120_000);
});

describe('Unum IR written by hand, refused', () => {
  const app = (configs: Record<string, unknown>) => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-unum-app-'));
    cpSync(join(CHAIN, 'events'), join(dir, 'events'), { recursive: true });
    writeFileSync(join(dir, 'baton.mapping.json'), JSON.stringify({ functions: join(process.cwd(), CHAIN, 'functions.ts'), event: 'events/event.json' }));
    for (const [name, config] of Object.entries(configs)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'unum_config.json'), JSON.stringify(config));
    }
    return dir;
  };
  const refusal = (configs: Record<string, unknown>): string => {
    const dir = app(configs);
    try {
      compileUnum(importUnumApp(dir).graph({}) as ForeignNode);
      return 'accepted';
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message.replace(dir, 'DIR');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('names the file and the field, and says what was expected', () => {
    expect(refusal({ a: { Name: 'ChainPass', Start: true, Next: { Name: 'ChainPass', InputType: 'Scalar', Conditional: '$0 <' } } })).toMatch(
      /DIR\/a\/unum_config.json: Next.Conditional: expected one of Unum's expressions/,
    );
    expect(refusal({ a: { Name: 'ChainPass', Start: true, Next: { Name: 'ChainPass', InputType: 'Fan-in' } } })).toMatch(
      /a\/unum_config.json: Next.InputType: expected/,
    );
    expect(refusal({ a: { Name: 'ChainPass', Start: true, 'Next Payload Modifiers': ['$0+1'] } })).toMatch(/Next Payload Modifiers\[0\]: expected Pop or/);
    expect(refusal({ a: { Name: 'ChainPass' } })).toMatch(/Start: expected exactly one config/);
    expect(refusal({ a: { Name: 'ChainPass', Start: true, Next: { Name: 'Missing', InputType: 'Scalar' } } })).toMatch(
      /Next Missing: expected a function the IR defines/,
    );
  });

  it('refuses a folder with no mapping file, naming what it needs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-unum-app-'));
    try {
      expect(() => importUnumApp(dir)).toThrow(/needs a mapping file .*baton.mapping.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
