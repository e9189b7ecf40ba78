/**
 * The one function a replayed trace runs for every task: read the files its parents
 * wrote (checking their recorded sizes), burn CPU for its recorded runtime (scaled),
 * write its recorded output files (scaled), and pass on a report of every task so far.
 */
import type { FunctionsModule, Value } from '../../harness/model/index.ts';

export interface TaskReport {
  readonly parentsSeen: readonly string[];
  readonly filesChecked: number;
  readonly filesWrong: readonly string[];
}
export interface ReplayArgs {
  readonly runtimeMs: number;
  readonly inputs: readonly { name: string; sizeBytes: number }[];
  readonly outputs: readonly { name: string; sizeBytes: number }[];
}
export interface ReplayOutput {
  readonly files: Record<string, Uint8Array>;
  readonly reports: Record<string, TaskReport>;
}

export const functions: FunctionsModule['functions'] = {
  replay(input, ctx) {
    const { id, args, inputs } = input as unknown as { id: string; args: ReplayArgs; inputs: Record<string, ReplayOutput | Value> };
    const parents = Object.keys(inputs).filter((k) => k !== '$input');
    const reports: Record<string, TaskReport> = {};
    const available = new Map<string, Uint8Array>();
    for (const parent of parents) {
      const out = inputs[parent] as ReplayOutput;
      Object.assign(reports, out.reports);
      for (const [name, bytes] of Object.entries(out.files)) available.set(name, bytes);
    }
    let filesChecked = 0;
    const filesWrong: string[] = [];
    for (const file of args.inputs) {
      const bytes = available.get(file.name);
      if (!bytes) continue; // a workflow input, not written by a parent
      filesChecked++;
      if (bytes.byteLength !== file.sizeBytes) filesWrong.push(`${file.name}: ${bytes.byteLength} bytes, recorded ${file.sizeBytes}`);
    }
    const until = process.hrtime.bigint() + BigInt(Math.round(args.runtimeMs * 1e6));
    while (process.hrtime.bigint() < until) {
      /* the task's recorded CPU time, scaled */
    }
    const files: Record<string, Uint8Array> = {};
    for (const file of args.outputs) files[file.name] = ctx.alloc(file.sizeBytes).fill(id.length % 251);
    reports[id] = { parentsSeen: parents.sort(), filesChecked, filesWrong };
    return { files, reports } as unknown as Value;
  },
};
