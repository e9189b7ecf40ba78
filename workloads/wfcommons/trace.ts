/**
 * WfFormat (WfCommons) workflow traces, 1.5 and 1.4, read into one shape: tasks with
 * their parents, recorded runtime, and the files they read and write.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../harness/model/errors.ts';

export interface TraceFile {
  readonly name: string;
  readonly sizeBytes: number;
}
export interface TraceTask {
  readonly id: string;
  readonly parents: readonly string[];
  readonly runtimeS: number;
  readonly inputs: readonly TraceFile[];
  readonly outputs: readonly TraceFile[];
}
export interface WfTrace {
  readonly name: string;
  readonly schemaVersion: string;
  readonly tasks: readonly TraceTask[];
}

type Json = Record<string, unknown>;

export function readWfTrace(file: string): WfTrace {
  let doc: Json;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (error) {
    throw new InputError(
      'E_BAD_INPUT',
      `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(error as Error).message})`}`,
    );
  }
  const fail = (field: string, expected: string): never => {
    throw new InputError('E_BAD_INPUT', `${file}: ${field}: expected ${expected}`);
  };
  const version = String(doc['schemaVersion'] ?? '');
  const workflow = (doc['workflow'] ?? fail('workflow', 'an object')) as Json;
  const name = String(doc['name'] ?? file);
  if (version.startsWith('1.5')) {
    const spec = (workflow['specification'] ?? fail('workflow.specification', 'an object (WfFormat 1.5)')) as Json;
    const sizes = new Map(((spec['files'] ?? []) as Json[]).map((f) => [String(f['id']), Number(f['sizeInBytes'])]));
    const runtimes = new Map(
      (((workflow['execution'] as Json | undefined)?.['tasks'] ?? []) as Json[]).map((t) => [String(t['id']), Number(t['runtimeInSeconds'] ?? 0)]),
    );
    const tasks = ((spec['tasks'] ?? fail('workflow.specification.tasks', 'an array')) as Json[]).map((t, i): TraceTask => {
      const id = String(t['id'] ?? fail(`workflow.specification.tasks[${i}].id`, 'a string'));
      const files = (key: string) =>
        ((t[key] ?? []) as string[]).map((f) => ({
          name: f,
          sizeBytes: sizes.get(f) ?? fail(`workflow.specification.files`, `an entry for '${f}' (task ${id})`),
        }));
      return { id, parents: (t['parents'] ?? []) as string[], runtimeS: runtimes.get(id) ?? 0, inputs: files('inputFiles'), outputs: files('outputFiles') };
    });
    return checked(file, { name, schemaVersion: version, tasks });
  }
  if (version.startsWith('1.4') || version.startsWith('1.3')) {
    const raw = (workflow['tasks'] ?? workflow['jobs'] ?? fail('workflow.tasks', 'an array (WfFormat 1.4)')) as Json[];
    const idOf = new Map(raw.map((t) => [String(t['name']), String(t['name'])]));
    const tasks = raw.map((t): TraceTask => {
      const files = (link: string) =>
        ((t['files'] ?? []) as Json[])
          .filter((f) => f['link'] === link)
          .map((f) => ({ name: String(f['name']), sizeBytes: Number(f['sizeInBytes'] ?? Number(f['size'] ?? 0) * 1000) }));
      return {
        id: idOf.get(String(t['name']))!,
        parents: ((t['parents'] ?? []) as string[]).map((p) => idOf.get(p) ?? p),
        runtimeS: Number(t['runtimeInSeconds'] ?? t['runtime'] ?? 0),
        inputs: files('input'),
        outputs: files('output'),
      };
    });
    return checked(file, { name, schemaVersion: version, tasks });
  }
  return fail('schemaVersion', `1.5 or 1.4, found ${JSON.stringify(doc['schemaVersion'])}`);
}

/** A file over this is not a trace this machine can replay (and most likely a unit mix-up). */
const MAX_FILE_BYTES = 2 ** 40;
/** A task over a week of recorded runtime: likewise. */
const MAX_RUNTIME_S = 7 * 24 * 3600;

/**
 * A trace that can be replayed: at least one task, unique ids, parents that exist, no
 * cycle, and sizes and runtimes that are finite and in range. Anything else is bad input
 * naming the file and the task (a cycle would otherwise hang the replay).
 */
function checked(file: string, trace: WfTrace): WfTrace {
  const fail = (what: string): never => {
    throw new InputError('E_BAD_INPUT', `${file}: ${what}`);
  };
  if (trace.tasks.length === 0) fail('workflow has no tasks: expected at least one');
  const ids = new Set<string>();
  for (const task of trace.tasks) {
    if (ids.has(task.id)) fail(`task '${task.id}': the id appears more than once; expected unique task ids`);
    ids.add(task.id);
  }
  for (const task of trace.tasks) {
    if (!Array.isArray(task.parents)) fail(`task '${task.id}': parents: expected an array of task ids`);
    for (const parent of task.parents) if (!ids.has(parent)) fail(`task '${task.id}': parent '${parent}' is not a task of the workflow`);
    if (!Number.isFinite(task.runtimeS) || task.runtimeS < 0 || task.runtimeS > MAX_RUNTIME_S) {
      fail(`task '${task.id}': runtimeInSeconds ${task.runtimeS}: expected 0 to ${MAX_RUNTIME_S} s`);
    }
    for (const f of [...task.inputs, ...task.outputs]) {
      if (!Number.isFinite(f.sizeBytes) || f.sizeBytes < 0 || f.sizeBytes > MAX_FILE_BYTES) {
        fail(`task '${task.id}': file '${f.name}': sizeInBytes ${f.sizeBytes}: expected 0 to ${MAX_FILE_BYTES} bytes`);
      }
    }
  }
  // Depth-first: a task met again while its own ancestors are being visited closes a cycle.
  const byId = new Map(trace.tasks.map((t) => [t.id, t]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: readonly string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') fail(`task '${id}': its parents lead back to it (${[...path.slice(path.indexOf(id)), id].join(' <- ')}); expected a DAG`);
    state.set(id, 'visiting');
    for (const parent of byId.get(id)!.parents) visit(parent, [...path, id]);
    state.set(id, 'done');
  };
  for (const task of trace.tasks) visit(task.id, []);
  return trace;
}
