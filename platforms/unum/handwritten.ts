/**
 * Unum's IR written by hand (a `foreign` node of format `unum-ir`), read as Unum's
 * runtime reads each function's `unum_config.json`: `Name`, `Start`, `Next` (one object,
 * or a list), `InputType` (`Scalar`, `Map`, `{"Fan-in": {"Values": [...]}}`),
 * `Conditional`, `Next Payload Modifiers` and `Checkpoint`. The document is
 *
 *     { "configs": { "<where it came from>": <unum_config.json>, ... },
 *       "functions": { "<Name>": "<Baton function>" },       (default: the Name)
 *       "fanout": { "Index": 0, "Size": 10, "OuterLoop": ... } } (the first invocation's "Fan-out")
 *
 * Every expression is parsed here, so a bad one fails the deploy (exit 2) naming the
 * config and field, instead of an invocation in a Lambda.
 */
import { InputError } from '../../harness/model/errors.ts';
import type { ForeignNode } from '../../harness/model/index.ts';
import type { InputType, NextEntry, UnumConfig, UnumIR } from './ir.ts';
import { checkModifier, checkName, parseExpression } from './wrapper/expressions.ts';

/** A JSON object (the document is parsed JSON, checked here field by field). */
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const bad = (where: string, field: string, expected: string): InputError => new InputError('E_BAD_INPUT', `${where}: ${field}: expected ${expected}`);

function inputTypeOf(raw: unknown, where: string, field: string): InputType {
  if (raw === 'Scalar' || raw === 'Map') return raw;
  const values = isRecord(raw) && isRecord(raw['Fan-in']) ? raw['Fan-in']['Values'] : undefined;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string'))
    throw bad(where, field, '"Scalar", "Map" or { "Fan-in": { "Values": [names] } }');
  for (const [i, v] of values.entries()) {
    try {
      checkName(v as string);
    } catch (error) {
      throw bad(where, `${field}.Fan-in.Values[${i}]`, `a name with Unum expressions (${(error as Error).message})`);
    }
  }
  return { 'Fan-in': { Values: values as string[] } };
}

function nextEntryOf(raw: unknown, where: string, field: string): NextEntry {
  if (!isRecord(raw) || typeof raw['Name'] !== 'string') throw bad(where, `${field}.Name`, 'the next function (a string)');
  const conditional = raw['Conditional'];
  if (conditional !== undefined) {
    if (typeof conditional !== 'string') throw bad(where, `${field}.Conditional`, 'an expression (a string)');
    try {
      parseExpression(conditional);
    } catch (error) {
      throw bad(where, `${field}.Conditional`, `one of Unum's expressions, e.g. "$0 < $size-1" (${(error as Error).message})`);
    }
  }
  return {
    Name: raw['Name'],
    InputType: inputTypeOf(raw['InputType'], where, `${field}.InputType`),
    ...(conditional ? { Conditional: conditional as string } : {}),
  };
}

function fanoutOf(raw: unknown, where: string): { Index: number; Size: number }[] {
  if (raw === undefined) return [];
  const levels: { Index: number; Size: number }[] = [];
  for (let level: unknown = raw, depth = 0; level !== undefined; level = (level as Record<string, unknown>)['OuterLoop'], depth++) {
    if (!isRecord(level) || !Number.isInteger(level['Index']) || !Number.isInteger(level['Size']) || (level['Size'] as number) < 1)
      throw bad(where, `fanout${'.OuterLoop'.repeat(depth)}`, '{ "Index": integer, "Size": integer >= 1 }');
    levels.unshift({ Index: level['Index'] as number, Size: level['Size'] as number });
  }
  return levels;
}

export function fromHandwritten(node: ForeignNode): UnumIR {
  const document = node.document;
  if (!isRecord(document) || !isRecord(document['configs'])) throw bad('unum-ir', 'configs', '{ "<file>": <unum_config.json> }');
  const functions = isRecord(document['functions']) ? (document['functions'] as Record<string, string>) : {};
  const configs: Record<string, UnumConfig> = {};
  for (const [where, raw] of Object.entries(document['configs'])) {
    if (!isRecord(raw) || typeof raw['Name'] !== 'string' || raw['Name'] === '') throw bad(where, 'Name', "the function's name");
    const name = raw['Name'];
    if (configs[name]) throw bad(where, 'Name', `a name no other config has ('${name}' is taken)`);
    const next = raw['Next'];
    const entries =
      next === undefined ? [] : Array.isArray(next) ? next.map((n, i) => nextEntryOf(n, where, `Next[${i}]`)) : [nextEntryOf(next, where, 'Next')];
    const modifiers = raw['Next Payload Modifiers'] ?? [];
    if (!Array.isArray(modifiers) || !modifiers.every((m) => typeof m === 'string')) throw bad(where, 'Next Payload Modifiers', 'a list of strings');
    for (const [i, m] of modifiers.entries()) {
      try {
        checkModifier(m as string);
      } catch (error) {
        throw bad(where, `Next Payload Modifiers[${i}]`, `Pop or $k=EXPRESSION (${(error as Error).message})`);
      }
    }
    if (raw['Checkpoint'] !== undefined && typeof raw['Checkpoint'] !== 'boolean') throw bad(where, 'Checkpoint', 'true or false');
    configs[name] = {
      Name: name,
      Function: functions[name] ?? name,
      // Unum's fan-in needs every branch checkpointed; its template's default is true.
      Checkpoint: raw['Checkpoint'] !== false || entries.some((e) => typeof e.InputType === 'object'),
      Handwritten: true,
      ...(raw['Start'] === true ? { Start: true } : {}),
      ...(entries.length > 0 ? { Next: entries } : {}),
      ...(modifiers.length > 0 ? { Modifiers: modifiers as string[] } : {}),
    };
  }
  const starts = Object.values(configs).filter((c) => c.Start);
  if (starts.length !== 1) throw bad('unum-ir', 'Start', `exactly one config with "Start": true (found ${starts.length})`);
  for (const config of Object.values(configs)) {
    for (const next of config.Next ?? []) {
      if (!configs[next.Name]) throw bad(config.Name, `Next ${next.Name}`, `a function the IR defines (${Object.keys(configs).join(', ')})`);
    }
  }
  return { start: starts[0]!.Name, configs, startFanout: fanoutOf(document['fanout'], 'unum-ir') };
}
