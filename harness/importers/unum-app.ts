/**
 * `unum:DIR`: an application in Unum's own layout, its IR written by hand, as a Baton
 * workload that only the unum platforms run (a `foreign` node). DIR holds one folder per
 * function with its `unum_config.json` (as Unum's app store ships them) and a mapping
 * file, `DIR/baton.mapping.json`:
 *
 *     { "functions": "./functions.ts",                  Baton's code for the functions
 *       "resources": { "<Name>": "<function>" },        optional: default, the Name
 *       "event": "events/event.json" }                  Unum's first event: Data.Value, Fan-out
 *
 * The functions module must export `verify(output, input)`: Baton's oracle cannot run
 * Unum's IR, so the run is checked by the app's own verify or not run at all. With a
 * `Fan-out` in the event (Unum's chain benchmark starts under one), the param
 * `fanoutSize` sets its Size.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../model/errors.ts';
import type { ForeignNode, Value, VerifyResult, Workload } from '../model/index.ts';
import { readJson } from './common.ts';

type Verify = (output: Value, input: Value) => VerifyResult | Promise<VerifyResult>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function importUnumApp(dir: string): Workload {
  if (!existsSync(dir)) throw new InputError('E_BAD_INPUT', `unum:${dir}: no such folder`);
  const mappingFile = join(dir, 'baton.mapping.json');
  if (!existsSync(mappingFile))
    throw new InputError(
      'E_BAD_INPUT',
      `unum:${dir}: needs a mapping file ${mappingFile}: { "functions": "./functions.ts", "resources": { "<Name>": "<function>" }, "event": "events/event.json" }`,
    );
  const mapping = readJson(mappingFile);
  if (!isRecord(mapping) || typeof mapping['functions'] !== 'string')
    throw new InputError('E_BAD_INPUT', `${mappingFile}: functions: expected the path of a functions module`);
  if (mapping['resources'] !== undefined && !isRecord(mapping['resources']))
    throw new InputError('E_BAD_INPUT', `${mappingFile}: resources: expected { "<Name>": "<function>" }`);
  if (typeof mapping['event'] !== 'string')
    throw new InputError('E_BAD_INPUT', `${mappingFile}: event: expected the path of Unum's first event (events/event.json)`);
  const eventFile = resolve(dirname(mappingFile), mapping['event']);
  const event = readJson(eventFile);
  if (!isRecord(event) || !isRecord(event['Data']) || !('Value' in event['Data']))
    throw new InputError('E_BAD_INPUT', `${eventFile}: Data.Value: expected the first function's input, as in Unum's events/event.json`);
  const fanout = event['Fan-out'];
  if (fanout !== undefined && (!isRecord(fanout) || !Number.isInteger(fanout['Size'])))
    throw new InputError('E_BAD_INPUT', `${eventFile}: Fan-out: expected { "Type", "Index", "Size" }`);

  const configs: Record<string, unknown> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name, 'unum_config.json');
    if (entry.isDirectory() && existsSync(file)) configs[file] = readJson(file);
  }
  if (Object.keys(configs).length === 0) throw new InputError('E_BAD_INPUT', `unum:${dir}: no <function>/unum_config.json in it`);
  const resources = (mapping['resources'] ?? {}) as Record<string, string>;
  const names = Object.values(configs).map((c) => (isRecord(c) && typeof c['Name'] === 'string' ? c['Name'] : ''));
  const functions = Object.fromEntries(names.map((name) => [name, resources[name] ?? name]));
  const functionsUrl = pathToFileURL(resolve(dirname(mappingFile), mapping['functions'])).href;
  const input = event['Data']['Value'] as Value;

  return {
    name: `unum:${dir}`,
    description: `Unum application (IR written by hand) from ${dir}`,
    params: isRecord(fanout)
      ? { fanoutSize: { description: "Size of the first event's Fan-out", default: fanout['Size'] as number, min: 1, max: 100_000, integer: true } }
      : {},
    functionsUrl,
    graph: (params): ForeignNode => ({
      kind: 'foreign',
      format: 'unum-ir',
      functions: [...new Set(Object.values(functions))],
      document: {
        configs,
        functions,
        ...(isRecord(fanout) ? { fanout: { ...fanout, Size: params['fanoutSize'] ?? (fanout['Size'] as number) } } : {}),
      } as Value,
    }),
    input: () => input,
    async verify(output, given) {
      const module = (await import(functionsUrl)) as { verify?: Verify };
      if (typeof module.verify !== 'function')
        throw new InputError(
          'E_BAD_INPUT',
          `${mapping['functions']}: exports no verify(output, input): Baton's oracle cannot run Unum's IR, so the run could not be checked`,
        );
      return module.verify(output, given);
    },
  };
}
