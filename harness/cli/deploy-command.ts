/** `baton deploy P --workload W --out DIR`: writes a platform's deployable project for one workflow. */
import { InputError } from '../model/errors.ts';
import { PLATFORMS, platformByName } from '../registry/platforms.ts';
import { workloadByName } from '../registry/workloads.ts';
import { checkWritableDir } from '../results/output-file.ts';
import { checkParam, defaultsOf, parseNumber, parseParamArgs } from '../runner/params.ts';

export interface DeployCommandOptions {
  readonly workload: string;
  readonly out: string;
  readonly param: string[];
}

export async function deployCommand(platform: string, options: DeployCommandOptions): Promise<void> {
  const entry = platformByName(platform);
  if (!entry.writeProject) {
    const writable = [...PLATFORMS].filter(([, e]) => e.writeProject).map(([name]) => name);
    throw new InputError(
      'E_BAD_INPUT',
      `baton deploy ${platform}: this platform deploys itself through its cloud APIs (run with --target cloud): expected one of ${writable.join(', ')}`,
    );
  }
  if (options.workload.startsWith('asl:') && entry.writeAslProject && options.param.length === 0) {
    const files = await entry.writeAslProject(options.workload.slice('asl:'.length).split('?')[0]!, checkWritableDir(options.out));
    process.stdout.write(`${files.join('\n')}\n`);
    return;
  }
  const workload = workloadByName(options.workload);
  const params = defaultsOf(workload);
  for (const [key, values] of parseParamArgs(options.param)) {
    if (values.length !== 1) throw new InputError('E_BAD_PARAM', `--param ${key}: deploy takes one value per parameter`);
    // An unknown key (a platform setting: deploy writes the project as the platform's default) is named as such before its value is read.
    if (!(key in workload.params)) checkParam(key, 0, undefined, '--param', Object.keys(workload.params));
    const value = parseNumber(values[0]!, `--param ${key}`);
    checkParam(key, value, workload.params[key], '--param', Object.keys(workload.params));
    params[key] = value;
  }
  const files = await entry.writeProject(
    { name: workload.name, graph: workload.graph(params), functionsUrl: workload.functionsUrl },
    checkWritableDir(options.out),
  );
  process.stdout.write(`${files.join('\n')}\n`);
}
