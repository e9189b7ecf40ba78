import { InputError } from '../model/errors.ts';
import type { Workload } from '../model/index.ts';
import { importAsl } from '../importers/asl.ts';
import { importSebsFlow } from '../importers/sebsflow.ts';
import { importUnumApp } from '../importers/unum-app.ts';
import { chain } from '../../workloads/chain/index.ts';
import { fanout } from '../../workloads/fanout/index.ts';
import { excamera } from '../../workloads/excamera/index.ts';
import { mapreduce } from '../../workloads/mapreduce/index.ts';
import { montage } from '../../workloads/montage/index.ts';
import { genome } from '../../workloads/genome/index.ts';
import { yahoo } from '../../workloads/yahoo/index.ts';
import { importWfFormat } from '../../workloads/wfcommons/workload.ts';

/** Every built-in workload, by name. */
export const WORKLOADS: ReadonlyMap<string, Workload> = new Map([chain, fanout, mapreduce, yahoo, excamera, montage, genome].map((w) => [w.name, w]));

/** Importer prefixes: a workload read from a file. */
const IMPORTERS: Readonly<Record<string, (path: string) => Workload>> = {
  asl: importAsl,
  wfformat: importWfFormat,
  sebsflow: importSebsFlow,
  unum: importUnumApp,
};

export function workloadByName(name: string): Workload {
  const colon = name.indexOf(':');
  const importer = colon > 0 ? IMPORTERS[name.slice(0, colon)] : undefined;
  if (importer) return importer(name.slice(colon + 1));
  const workload = WORKLOADS.get(name);
  if (!workload) {
    throw new InputError(
      'E_UNKNOWN_WORKLOAD',
      `unknown workload '${name}': expected one of ${[...WORKLOADS.keys()].join(', ')}, or asl:FILE, wfformat:FILE, sebsflow:DIR, unum:DIR`,
    );
  }
  return workload;
}
