/**
 * A WfFormat trace as a Baton workload (`wfformat:FILE`, and `montage`): one DAG task per
 * trace task, replaying its runtime and file sizes times `scale`. Right means: every
 * task ran, after exactly its recorded parents, and every file it read had the recorded
 * (scaled) size.
 */
import type { ParamValues, Value, Workload } from '../../harness/model/index.ts';
import type { ReplayArgs, ReplayOutput, TaskReport } from './functions.ts';
import { readWfTrace, type WfTrace } from './trace.ts';

const FUNCTIONS_URL = new URL('./functions.ts', import.meta.url).href;

export function scaledSize(sizeBytes: number, scale: number): number {
  return Math.round(sizeBytes * scale);
}

export function traceWorkload(name: string, trace: WfTrace, description: string): Workload {
  const argsOf = (scale: number) =>
    new Map(
      trace.tasks.map((t): [string, ReplayArgs] => [
        t.id,
        {
          runtimeMs: t.runtimeS * 1000 * scale,
          inputs: t.inputs.map((f) => ({ name: f.name, sizeBytes: scaledSize(f.sizeBytes, scale) })),
          outputs: t.outputs.map((f) => ({ name: f.name, sizeBytes: scaledSize(f.sizeBytes, scale) })),
        },
      ]),
    );
  return {
    name,
    description,
    params: { scale: { description: 'multiplies recorded runtimes and file sizes', default: 0.001, min: 0, max: 1, integer: false } },
    functionsUrl: FUNCTIONS_URL,
    graph: ({ scale }: ParamValues) => {
      const args = argsOf(scale!);
      return { kind: 'dag', tasks: trace.tasks.map((t) => ({ id: t.id, fn: 'replay', after: t.parents, args: args.get(t.id) as unknown as Value })) };
    },
    input: () => ({}),
    verify(output) {
      // A task's report reaches every sink below it: every copy must be right, and every task must have one.
      const tasks = new Map(trace.tasks.map((t) => [t.id, t]));
      const reported = new Set<string>();
      for (const sink of Object.values(output as unknown as Record<string, ReplayOutput>)) {
        for (const [id, report] of Object.entries(sink.reports) as [string, TaskReport][]) {
          const task = tasks.get(id);
          if (!task) return { ok: false, reason: `a report for task ${id}, which the trace does not have` };
          reported.add(id);
          const expected = [...task.parents].sort().join(',');
          if (report.parentsSeen.join(',') !== expected)
            return { ok: false, reason: `task ${id} saw parents [${report.parentsSeen.join(', ')}], recorded [${expected}]` };
          if (report.filesWrong.length > 0) return { ok: false, reason: `task ${id}: ${report.filesWrong[0]}` };
        }
      }
      const missing = trace.tasks.find((t) => !reported.has(t.id));
      return missing ? { ok: false, reason: `task ${missing.id} did not run (or its report was lost)` } : { ok: true };
    },
  };
}

/** `wfformat:FILE`. */
export function importWfFormat(file: string): Workload {
  const trace = readWfTrace(file);
  return traceWorkload(`wfformat:${file}`, trace, `WfCommons trace ${trace.name} (WfFormat ${trace.schemaVersion}), ${trace.tasks.length} tasks`);
}
