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
    return { name, schemaVersion: version, tasks };
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
    return { name, schemaVersion: version, tasks };
  }
  return fail('schemaVersion', `1.5 or 1.4, found ${JSON.stringify(doc['schemaVersion'])}`);
}
