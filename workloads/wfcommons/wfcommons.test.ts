import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../harness/model/errors.ts';
import { evaluate, type Functions } from '../../harness/semantics/evaluate.ts';
import type { DagNode } from '../../harness/model/index.ts';
import { topologicalOrder } from '../../harness/model/dag.ts';
import { ReferenceAdapter } from '../../platforms/reference/index.ts';
import { montage } from '../montage/index.ts';
import { readWfTrace } from './trace.ts';
import { importWfFormat } from './workload.ts';

const TRACES = new URL('../../data/wfcommons/', import.meta.url).pathname;
const adapter = new ReferenceAdapter({ executors: 2 });
afterAll(() => adapter.close());

describe('WfFormat traces', () => {
  it('read the same Montage run from WfFormat 1.5 and 1.4', () => {
    const v15 = readWfTrace(new URL('../montage/montage-chameleon-2mass-005d-001.json', import.meta.url).pathname);
    const v14 = readWfTrace(`${TRACES}schema-1.4/montage-chameleon-2mass-005d-001.json`);
    expect(v15.tasks).toHaveLength(58);
    const byId = new Map(v14.tasks.map((t) => [t.id, t]));
    for (const task of v15.tasks) {
      const other = byId.get(task.id);
      expect(other, task.id).toBeDefined();
      expect([...other!.parents].sort()).toEqual([...task.parents].sort());
      expect(other!.runtimeS).toBeCloseTo(task.runtimeS, 3);
      expect(new Set(other!.outputs.map((f) => `${f.name}:${f.sizeBytes}`))).toEqual(new Set(task.outputs.map((f) => `${f.name}:${f.sizeBytes}`)));
    }
  });

  it('Montage has 8 levels and a widest level of 18 tasks, as SOURCES.md says', () => {
    const graph = montage.graph({ scale: 0.001 }) as DagNode;
    const level = new Map<string, number>();
    for (const task of topologicalOrder(graph.tasks)) level.set(task.id, Math.max(-1, ...task.after.map((p) => level.get(p)!)) + 1);
    const widths = new Map<number, number>();
    for (const l of level.values()) widths.set(l, (widths.get(l) ?? 0) + 1);
    expect(widths.size).toBe(8);
    expect(Math.max(...widths.values())).toBe(18);
  });

  it('runs a trace on the reference runtime, verified', async () => {
    const workload = importWfFormat(`${TRACES}helloworld-forkjoin-10-chameleon.json`);
    const params = { scale: 0.001 };
    const deployment = await adapter.deploy({ name: 'wf', graph: workload.graph(params), functionsUrl: workload.functionsUrl }, { target: 'local' });
    const execution = await adapter.run(deployment, workload.input(params), { cold: false, faults: {} });
    expect(await workload.verify(execution.output, null, params)).toEqual({ ok: true });
  });

  it('verify catches a file of the wrong size and a task that saw the wrong parents', async () => {
    const params = { scale: 0.0001 };
    const { functions } = (await import(montage.functionsUrl)) as { functions: Functions };
    const graph = montage.graph(params) as DagNode;
    const output = (await evaluate(graph, montage.input(params), functions)) as Record<
      string,
      { reports: Record<string, { parentsSeen: string[]; filesWrong: string[] }> }
    >;
    expect(await montage.verify(output as never, null, params)).toEqual({ ok: true });
    const sink = Object.values(output)[0]!;
    const [someTask] = Object.keys(sink.reports);
    sink.reports[someTask!] = { ...sink.reports[someTask!]!, filesWrong: ['x.fits: 1 bytes, recorded 2'] };
    expect(await montage.verify(output as never, null, params)).toMatchObject({ ok: false, reason: expect.stringMatching(/x\.fits/) });
    sink.reports[someTask!] = { ...sink.reports[someTask!]!, filesWrong: [], parentsSeen: ['nobody'] };
    expect(await montage.verify(output as never, null, params)).toMatchObject({ ok: false, reason: expect.stringMatching(/saw parents \[nobody\]/) });
  });

  it('refuses a missing file or an unknown schema version, naming the file and field', () => {
    expect(() => importWfFormat('/no/such/trace.json')).toThrow(InputError);
    expect(() => importWfFormat(`${TRACES}wfcommons-schema.json`)).toThrow(/wfcommons-schema\.json: (schemaVersion|workflow): expected/);
  });

  describe('refuses traces that cannot be replayed, naming the file and the task (exit 2, never a hang)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-wf-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const base = JSON.parse(readFileSync(`${TRACES}helloworld-chain-5-chameleon.json`, 'utf8')) as {
      workflow: { specification: { tasks: { id: string; parents: string[] }[]; files: { id: string; sizeInBytes: number }[] } };
    };
    const variant = (name: string, change: (spec: typeof base.workflow.specification) => void): string => {
      const doc = structuredClone(base);
      change(doc.workflow.specification);
      writeFileSync(join(dir, name), JSON.stringify(doc));
      return join(dir, name);
    };
    const cases: [string, string, RegExp][] = [
      [
        'a cycle',
        variant('cycle.json', (s) => {
          s.tasks[0]!.parents = [s.tasks[4]!.id];
        }),
        /task 'cpuhog_chain_\d+': its parents lead back to it .*expected a DAG/,
      ],
      [
        'a missing parent',
        variant('orphan.json', (s) => {
          s.tasks[2]!.parents = ['nobody'];
        }),
        /task 'cpuhog_chain_00000003': parent 'nobody' is not a task/,
      ],
      [
        'zero tasks',
        variant('empty.json', (s) => {
          s.tasks = [];
        }),
        /workflow has no tasks/,
      ],
      [
        'a duplicate id',
        variant('dup.json', (s) => {
          s.tasks[1]!.id = s.tasks[0]!.id;
        }),
        /task 'cpuhog_chain_00000001': the id appears more than once/,
      ],
      [
        'an absurd size',
        variant('huge.json', (s) => {
          s.files[0]!.sizeInBytes = 1e18;
        }),
        /file 'chain_00000001_input\.txt': sizeInBytes 1000000000000000000: expected 0 to/,
      ],
    ];
    for (const [what, file, message] of cases) {
      it(what, () => {
        expect(() => importWfFormat(file)).toThrow(InputError);
        expect(() => importWfFormat(file)).toThrow(message);
      });
    }
    it('through baton run: exit 2 with the message', () => {
      const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
      const run = spawnSync(process.execPath, [bin, 'run', '--workload', `wfformat:${cases[0]![1]}`, '--platform', 'reference'], {
        encoding: 'utf8',
        cwd: dir,
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/cycle\.json: task .*expected a DAG/);
    });
  });
});
