/**
 * What CreateStateMachine refuses, in the service's error codes: a definition that is not a
 * state machine (no StartAt, a transition to no state, an unknown state type, a field of the
 * other query language), a malformed intrinsic call, and features the local stand-in cannot
 * run faithfully (it says which and why, rather than running them as something else).
 *
 * Baton's own checks, not asl-validator's schema: that schema refuses definitions AWS accepts
 * and runs (JSONata `Output` that is not an object, a constant `Condition`, a fractional
 * `ToleratedFailurePercentage`, `null` inside an `Assign` list; 14 of the AWS-recorded cases).
 */
import { isIntrinsic, parseIntrinsic } from './asl/intrinsics.ts';
import { isObject, type Json, type JsonObject } from './asl/json.ts';
import { unsupportedResource } from './lambda-tasks.ts';

const TYPES = new Set(['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Map', 'Parallel']);
const JSONPATH_ONLY = ['Parameters', 'InputPath', 'OutputPath', 'ResultPath', 'ResultSelector', 'ItemsPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath'];
const JSONATA_ONLY = ['Arguments', 'Output', 'Items'];

/** The definition's structure, as the service checks it; each problem is `CODE: message at path`. */
export function structureProblems(definition: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(definition)) return ['SCHEMA_VALIDATION_FAILED: the definition must be a JSON object'];
  const machine = (value: JsonObject, where: string, inherited: string): void => {
    const language = String(value['QueryLanguage'] ?? inherited);
    if (language !== 'JSONPath' && language !== 'JSONata')
      problems.push(`SCHEMA_VALIDATION_FAILED: QueryLanguage must be JSONPath or JSONata at ${where}/QueryLanguage`);
    const states = value['States'];
    if (!isObject(states) || Object.keys(states).length === 0) {
      problems.push(`SCHEMA_VALIDATION_FAILED: The field 'States' is required and must hold at least one state at ${where}`);
      return;
    }
    if (typeof value['StartAt'] !== 'string') problems.push(`SCHEMA_VALIDATION_FAILED: The field 'StartAt' is required at ${where}`);
    else if (!(value['StartAt'] in states)) problems.push(`MISSING_TRANSITION_TARGET: Missing 'StartAt' target: ${value['StartAt']} at ${where}/StartAt`);
    const target = (next: Json | undefined, at: string, field: string): void => {
      if (next !== undefined && !(typeof next === 'string' && next in states))
        problems.push(`MISSING_TRANSITION_TARGET: Missing '${field}' target: ${String(next)} at ${at}/${field}`);
    };
    for (const [name, state] of Object.entries(states)) {
      const at = `${where}/States/${name}`;
      if (name.length > 80) problems.push(`SCHEMA_VALIDATION_FAILED: State names are at most 80 characters at ${at}`);
      if (!isObject(state) || !TYPES.has(String(state['Type']))) {
        problems.push(`SCHEMA_VALIDATION_FAILED: The state's Type must be one of ${[...TYPES].join(', ')} at ${at}/Type`);
        continue;
      }
      const type = String(state['Type']);
      const stateLanguage = String(state['QueryLanguage'] ?? language);
      const foreign = stateLanguage === 'JSONata' ? JSONPATH_ONLY : JSONATA_ONLY;
      for (const field of foreign)
        if (field in state) problems.push(`SCHEMA_VALIDATION_FAILED: The field '${field}' is not supported in ${stateLanguage} at ${at}/${field}`);
      target(state['Next'], at, 'Next');
      if (type === 'Choice') {
        const rules = state['Choices'];
        if (!Array.isArray(rules) || rules.length === 0) problems.push(`SCHEMA_VALIDATION_FAILED: A Choice state needs a non-empty 'Choices' at ${at}/Choices`);
        else for (const [i, rule] of rules.entries()) target(isObject(rule) ? rule['Next'] : undefined, `${at}/Choices/${i}`, 'Next');
        target(state['Default'], at, 'Default');
      } else if (type !== 'Succeed' && type !== 'Fail' && state['End'] !== true && state['Next'] === undefined) {
        problems.push(`SCHEMA_VALIDATION_FAILED: A ${type} state needs 'Next' or 'End' at ${at}`);
      }
      if (state['End'] === true && state['Next'] !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: A state cannot have both 'End' and 'Next' at ${at}`);
      for (const [i, c] of (Array.isArray(state['Catch']) ? state['Catch'] : []).entries())
        target(isObject(c) ? c['Next'] : undefined, `${at}/Catch/${i}`, 'Next');
      if (type === 'Task' && typeof state['Resource'] !== 'string') problems.push(`SCHEMA_VALIDATION_FAILED: A Task state needs a 'Resource' at ${at}`);
      if (type === 'Parallel') {
        const branches = state['Branches'];
        if (!Array.isArray(branches) || branches.length === 0)
          problems.push(`SCHEMA_VALIDATION_FAILED: A Parallel state needs a non-empty 'Branches' at ${at}/Branches`);
        else {
          for (const [i, b] of branches.entries()) {
            if (isObject(b)) machine(b, `${at}/Branches/${i}`, stateLanguage);
            else problems.push(`SCHEMA_VALIDATION_FAILED: a branch must be an object at ${at}/Branches/${i}`);
          }
        }
      }
      if (type === 'Map') {
        const processor = state['ItemProcessor'] ?? state['Iterator'];
        if (!isObject(processor)) problems.push(`SCHEMA_VALIDATION_FAILED: A Map state needs an 'ItemProcessor' at ${at}`);
        else machine(processor, `${at}/ItemProcessor`, stateLanguage);
      }
    }
  };
  machine(definition, '', 'JSONPath');
  return problems;
}

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
      if (state['Credentials'] !== undefined) problems.push(`${at}/Credentials: the local stand-in has no IAM to assume another role with`);
      intrinsicProblems(state, at, problems);
      for (const [i, branch] of ((state['Branches'] as JsonObject[] | undefined) ?? []).entries()) walk(branch, `${at}/Branches/${i}`);
      const processor = (state['ItemProcessor'] ?? state['Iterator']) as JsonObject | undefined;
      if (processor) walk(processor, `${at}/ItemProcessor`);
    }
  };
  walk(definition, '');
  return problems;
}

/** Every `.$` value that is an intrinsic call must parse. */
function intrinsicProblems(value: Json, at: string, problems: string[]): void {
  if (Array.isArray(value)) for (const [i, v] of value.entries()) intrinsicProblems(v, `${at}/${i}`, problems);
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
