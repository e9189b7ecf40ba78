import { InputError } from '../model/errors.ts';
import type { Workload } from '../model/index.ts';
import { chain } from '../../workloads/chain/index.ts';
import { fanout } from '../../workloads/fanout/index.ts';

/** Every built-in workload, by name. */
export const WORKLOADS: ReadonlyMap<string, Workload> = new Map([chain, fanout].map((w) => [w.name, w]));

export function workloadByName(name: string): Workload {
  const workload = WORKLOADS.get(name);
  if (!workload) {
    throw new InputError('E_UNKNOWN_WORKLOAD', `unknown workload '${name}': expected one of ${[...WORKLOADS.keys()].join(', ')}`);
  }
  return workload;
}
