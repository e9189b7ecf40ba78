/**
 * What CreateStateMachine refuses beyond the schema: features the local stand-in cannot run
 * faithfully (it says which and why, rather than running them as something else), and
 * malformed intrinsic calls.
 */
import { isIntrinsic, parseIntrinsic } from './asl/intrinsics.ts';
import { isObject, type Json, type JsonObject } from './asl/json.ts';
import { unsupportedResource } from './lambda-tasks.ts';

export function definitionProblems(definition: JsonObject): string[] {
  const problems: string[] = [];
  const walk = (machine: JsonObject | undefined, where: string): void => {
    for (const [name, state] of Object.entries((machine?.['States'] as Record<string, JsonObject> | undefined) ?? {})) {
      const at = `${where}/States/${name}`;
      if (state['Type'] === 'Task') {
        const why = unsupportedResource(String(state['Resource']));
        if (why) problems.push(`${at}/Resource: ${why}`);
      }
      if (state['ItemReader'] !== undefined) problems.push(`${at}/ItemReader: the local stand-in has no S3 to read a distributed Map's items from`);
      if (state['ResultWriter'] !== undefined) problems.push(`${at}/ResultWriter: the local stand-in has no S3 to write a distributed Map's results to`);
      if (state['ItemBatcher'] !== undefined) problems.push(`${at}/ItemBatcher: item batching is not implemented by the local stand-in`);
      intrinsicProblems(state, at, problems);
      (state['Branches'] as JsonObject[] | undefined)?.forEach((branch, i) => walk(branch, `${at}/Branches/${i}`));
      const processor = (state['ItemProcessor'] ?? state['Iterator']) as JsonObject | undefined;
      if (processor) walk(processor, `${at}/ItemProcessor`);
    }
  };
  walk(definition, '');
  return problems;
}

/** Every `.$` value that is an intrinsic call must parse. */
function intrinsicProblems(value: Json, at: string, problems: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => intrinsicProblems(v, `${at}/${i}`, problems));
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'States' || key === 'Branches' || key === 'ItemProcessor' || key === 'Iterator') continue;
    if ((key.endsWith('.$') || key.endsWith('Path')) && typeof v === 'string' && isIntrinsic(v)) {
      try {
        parseIntrinsic(v);
      } catch (error) {
        problems.push(`${at}/${key}: ${(error as Error).message}`);
      }
    } else intrinsicProblems(v, `${at}/${key}`, problems);
  }
}
