/** `baton workloads` and `baton platforms`: generated from the registries, never hand-written. */
import { NODE_KINDS, type Capability, type PlatformAdapter, type PlatformSetting } from '../model/index.ts';
import { PLATFORMS } from '../registry/platforms.ts';
import { WORKLOADS } from '../registry/workloads.ts';
import { RUN_PARAMS } from '../runner/params.ts';
import { table } from './format.ts';

export function workloadsCommand(options: { json: boolean }): void {
  const list = [...WORKLOADS.values()].map((w) => ({ name: w.name, description: w.description, params: w.params }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ workloads: list, runParams: RUN_PARAMS })}\n`);
    return;
  }
  const lines: string[] = [];
  for (const workload of list) {
    lines.push(`${workload.name}: ${workload.description}`);
    for (const [key, spec] of Object.entries(workload.params))
      lines.push(`  ${key.padEnd(14)} ${spec.description} (default ${spec.default}, ${spec.min}..${spec.max}${spec.unit ? ` ${spec.unit}` : ''})`);
  }
  lines.push('', 'any workload, any platform:');
  for (const [key, spec] of Object.entries(RUN_PARAMS)) lines.push(`  ${key.padEnd(14)} ${spec.description} (default ${spec.default})`);
  lines.push('', 'set with --param KEY=VALUE, or sweep with --param KEY=V1,V2; platform settings (e.g. dataPassing): baton platforms');
  lines.push(
    '',
    'imported from files:',
    '  asl:FILE       an Amazon States Language definition, with FILE.mapping.json beside it',
    '                 ({ "functions": MODULE, "resources": { RESOURCE: FUNCTION }, "default"?: FUNCTION, "input": ... }),',
    '                 or asl:FILE?mapping=PATH; e.g. asl:workloads/examples/asl/order.asl.json',
    '  wfformat:FILE  a WfCommons workflow trace (WfFormat 1.5 or 1.4) replayed as a DAG (param scale)',
    '  sebsflow:DIR   a SeBS-Flow workflow (DIR/definition.json), with DIR/mapping.json or sebsflow:DIR?mapping=PATH',
    '                 ({ "functions": MODULE, "input": ... }); e.g. sebsflow:data/sebs-flow/680.excamera?mapping=workloads/examples/sebs-flow/680.excamera.json',
    "  unum:DIR       an application in Unum's layout, IR written by hand (DIR/<function>/unum_config.json), run on the unum",
    '                 platforms only, with DIR/baton.mapping.json ({ "functions": MODULE exporting verify, "event": FILE });',
    '                 e.g. unum:workloads/examples/unum/excamera (param fanoutSize when the event has a Fan-out)',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function platformsCommand(options: { json: boolean }): void {
  const adapters = [...PLATFORMS.values()].map((entry) => entry.create({ nodes: 1 }));
  if (options.json) {
    const json = adapters.map((a) => ({
      name: a.name,
      description: a.description,
      capabilities: a.capabilities,
      targets: a.targets,
      faults: a.faults,
      settings: a.settings ?? {},
      storage: a.storage ?? null,
      coldStarts: a.coldStarts ?? null,
    }));
    process.stdout.write(`${JSON.stringify({ platforms: json })}\n`);
    return;
  }
  const notes: string[] = [];
  const cell = (platform: string, what: string, capability: Capability): string => {
    if (capability.support === 'native') return 'native';
    notes.push(`[${notes.length + 1}] ${platform} ${what}: ${capability.support === 'workaround' ? capability.how : capability.reason}`);
    return `${capability.support === 'workaround' ? 'workaround' : 'unsupported'} [${notes.length}]`;
  };
  // Storage for functions: what backs it where it is offered, why not where it is not.
  const storageCell = (a: PlatformAdapter): string => {
    if (!a.storage)
      return cell(a.name, 'ctx.storage/ctx.nosql', {
        support: 'unsupported',
        reason: 'not offered yet: a workload that uses storage (1000-genome) is unsupported here',
      });
    notes.push(`[${notes.length + 1}] ${a.name} ctx.storage/ctx.nosql: objects in ${a.storage.objects}; items in ${a.storage.items}`);
    return `yes [${notes.length}]`;
  };
  const rows = [
    ['node kind', ...adapters.map((a) => a.name)],
    ...NODE_KINDS.map((kind) => [kind, ...adapters.map((a) => cell(a.name, kind, a.capabilities[kind]))]),
    ...(['local', 'cloud'] as const).map((target) => [`target ${target}`, ...adapters.map((a) => cell(a.name, `target ${target}`, a.targets[target]))]),
    ['faults', ...adapters.map((a) => Object.keys(a.faults).join(', ') || 'none')],
    ['ctx.storage/nosql', ...adapters.map((a) => storageCell(a))],
    ...settingRows(adapters, (platform, what, reason) => cell(platform, what, { support: 'unsupported', reason })),
  ];
  const descriptions = adapters.map((a) => `${a.name}: ${a.description}`);
  const coldStarts = adapters.map((a) => `${a.name}: ${a.coldStarts ?? 'cold=1 is not offered: the platform cannot be made cold on demand'}`);
  process.stdout.write(
    `${table(rows)}\n\n${[...notes, '', ...descriptions, '', 'cold starts (--param cold=1):', ...coldStarts, '', ...settingLines(adapters)].join('\n')}\n`,
  );
}

/** One row per value of every setting an adapter offers (`--param KEY=VALUE`): native, unsupported, or not offered (-). */
function settingRows(adapters: readonly PlatformAdapter[], unsupported: (platform: string, what: string, reason: string) => string): string[][] {
  const rows: string[][] = [];
  const keys = [...new Set(adapters.flatMap((a) => Object.keys(a.settings ?? {})))];
  for (const key of keys) {
    const spec = adapters.map((a) => a.settings?.[key]).find((s) => s !== undefined)!;
    const values = 'choices' in spec ? Object.keys(spec.choices) : [`${spec.min}..${spec.max}`];
    for (const value of values) {
      rows.push([
        `${key}=${value}`,
        ...adapters.map((a) => {
          const own = a.settings?.[key];
          if (!own) return '-';
          const why = 'choices' in own ? own.unsupported?.[value] : undefined;
          return why === undefined ? 'native' : unsupported(a.name, `${key}=${value}`, why);
        }),
      ]);
    }
  }
  return rows;
}

/** What each setting and each of its values does. */
function settingLines(adapters: readonly PlatformAdapter[]): string[] {
  const seen = new Map<string, PlatformSetting>();
  for (const adapter of adapters) for (const [key, spec] of Object.entries(adapter.settings ?? {})) if (!seen.has(key)) seen.set(key, spec);
  if (seen.size === 0) return [];
  const lines = ['settings (--param KEY=VALUE; "-": the platform has no such setting):'];
  for (const [key, spec] of seen) {
    const range = 'choices' in spec ? '' : `, ${spec.min}..${spec.max}${spec.unit ? ` ${spec.unit}` : ''}`;
    lines.push(`  ${key}: ${spec.description} (default ${spec.default}${range})`);
    if ('choices' in spec) for (const [value, what] of Object.entries(spec.choices)) lines.push(`    ${value.padEnd(8)} ${what}`);
  }
  return lines;
}
