/**
 * The `baton` command line: option parsing only; every command calls into the harness.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BatonError } from '../model/errors.ts';
import { builtInSuiteNames } from '../runner/suite.ts';
import { DEFAULT_RUN_TIMEOUT_SECONDS } from '../runner/plan.ts';
import { platformsCommand, workloadsCommand } from './info-commands.ts';
import { runCommand, type RunCommandOptions } from './run-command.ts';
import { serveCommand } from './serve-command.ts';
import { compareCommand } from './compare-command.ts';
import { deployCommand } from './deploy-command.ts';
import { cleanupCommand } from './cleanup-command.ts';
import { abCommand } from './ab-command.ts';
import { figuresCommand } from './figures-command.ts';
import { exportCommand } from './export-command.ts';

function integer(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new InvalidArgumentError('expected an integer');
  return value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command('baton')
    .description('Run identical serverless workflows on several orchestration platforms and compare them fairly.')
    .option('--verbose', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('run')
    .description('run a suite of (workload, params, platform) cells and write a result file')
    .option('--suite <name|file>', `suite to run: ${builtInSuiteNames().join(', ')}, or a suite .json file`, 'default')
    .option('--platform <names>', "comma-separated platforms (default: the suite's, else all)")
    .option(
      '--workload <names>',
      "comma-separated workloads (default: the suite's); asl:FILE, wfformat:FILE, sebsflow:DIR and unum:DIR import files (see baton workloads)",
    )
    .option('--param <key=value>', 'set a workload parameter or a platform setting (baton platforms lists them); KEY=V1,V2 sweeps; repeatable', collect, [])
    .option('--repetitions <n>', "measured runs per cell (default: the suite's)", integer)
    .option('--warmup <n>', "discarded warm-up runs per cell (default: the suite's)", integer)
    .option('--cell-budget <seconds>', "stop measuring a cell after this long, once it has 5 runs (default: the suite's)", Number)
    .option(
      '--run-timeout <seconds>',
      `fail a run (and its cell) with no result after this long; the platform is restarted for the next cell (default: the suite's, else ${DEFAULT_RUN_TIMEOUT_SECONDS})`,
      Number,
    )
    .option(
      '--max-memory <MB>',
      "refuse (unsupported) a cell whose data would need more memory than this at once, from the workload's estimate and the platform's copies (default: half the machine's)",
      Number,
    )
    .addOption(new Option('--target <target>', 'where platforms run').choices(['local', 'cloud']).default('local'))
    .option('--inject <fault=p,...>', 'inject faults the platforms support, with probabilities')
    .option('--nodes <n>', 'nodes of self-hosted platforms (the reference runtime runs a cluster of n processes on 127.0.0.1)', integer, 1)
    .option(
      '--load <mode>',
      'how measured executions arrive: closed (one after another), burst:N (N at once, --repetitions times), open:RATE/s (a fixed schedule for --duration; latency from the scheduled start), trace:FILE (an Azure Functions invocations CSV replayed)',
      'closed',
    )
    .option('--duration <time>', 'with --load open or trace: how long the schedule lasts (20s, 500ms, 2m; open default 10s)')
    .option('--trace-minute <time>', 'with --load trace: how long one minute of the trace lasts here (default 60s, real time)')
    .option('--trace-scale <x>', "with --load trace: multiply the trace's counts by this (default 1)", Number)
    .option('--trace-function <row>', "with --load trace: replay one function's row (from 1; default: every row summed)", integer)
    .option('--out <file>', 'result file to write (default: results/runs/<time>-<suite>.json)')
    .option('--json', 'print one JSON object on stdout (progress and the table go to stderr)', false)
    .action(async (options: RunCommandOptions) => {
      process.exitCode = await runCommand(options);
    });

  program
    .command('compare')
    .description(
      'compare two result files; exit 1 when a metric regressed (the whole 95% CI of the ratio of medians above the threshold, taken over rounds where both files hold 3 or more independent runs)',
    )
    .argument('<baseline>', 'result file to compare against')
    .argument('<candidate>', 'result file to check')
    .option('--threshold <pct>', 'slowdown tolerated, in percent', '10')
    .option('--metric <names>', 'comma-separated metrics', 'e2eUs')
    .option('--markdown', 'a Markdown table (for pull-request comments)', false)
    .option('--json', 'as JSON', false)
    .option(
      '--accept-single-run',
      'compare files of one run each at a threshold below the run-to-run noise (90%) anyway; by default that is refused, since one run per side cannot tell a change from noise',
      false,
    )
    .action(compareCommand);

  program
    .command('figures')
    .description('draw every figure the result files allow (SVG + PNG) and one self-contained HTML report')
    .argument('[files...]', 'result files (default: the newest in results/runs)')
    .option('--out <dir>', 'directory for the figures and report.html', 'results/figures')
    .action(figuresCommand);

  program
    .command('export')
    .description('write the measured executions and their invocations of result files as two tables (executions, invocations) for pandas, R or DuckDB')
    .argument('<files...>', 'result files')
    .addOption(new Option('--format <format>', 'table format').choices(['csv', 'parquet']).default('csv'))
    .option('--out <dir>', 'directory for executions.FORMAT and invocations.FORMAT', 'results/export')
    .action(exportCommand);

  program
    .command('ab')
    .description(
      "run a suite by a baseline git ref and by the working tree, interleaved in one job, merge each side's rounds, and compare (exit 1 on a regression)",
    )
    .requiredOption('--baseline <ref>', 'git ref of the baseline (a branch, tag or commit)')
    .option('--suite <name|file>', 'suite to run', 'smoke')
    .option('--platform <names>', 'comma-separated platforms')
    .option('--workload <names>', 'comma-separated workloads')
    .option('--param <key=value>', 'set a workload parameter; repeatable', collect, [])
    .option('--repetitions <n>', 'measured runs per cell and round', integer)
    .option('--rounds <n>', 'interleaved rounds per side (ABBA order)', integer, 3)
    .option('--threshold <pct>', 'slowdown tolerated, in percent', '10')
    .option('--metric <names>', 'comma-separated metrics', 'e2eUs')
    .option('--out <dir>', "directory for every round's result file and the merged baseline.json and candidate.json", 'results/runs/ab')
    .option('--markdown', 'a Markdown table (for pull-request comments)', false)
    .option('--json', 'as JSON', false)
    .action(abCommand);

  program
    .command('serve')
    .description(
      "start a platform's local stand-ins alone; prints their endpoints (and the credentials to sign requests with) as one JSON line and runs until SIGINT/SIGTERM",
    )
    .argument('<platform>', 'a platform with local stand-ins (asf, asf-express, durable)')
    .option('--app <path>', 'durable: the Function App to run (a module, or a folder whose package.json "main" names its modules)')
    .option('--store <dir>', 'durable: keep instances in this directory and resume them on restart (default: in memory only)')
    .option('--port <n>', 'durable: port on 127.0.0.1 (default: a free one)')
    .action(serveCommand);

  program
    .command('deploy')
    .description(
      "write a platform's deployable project for one workflow (durable: an Azure Function App to publish with func; unum: every function's unum_config.json and the IR, for asl:FILE the IR Unum's own compiler writes, no mapping file needed)",
    )
    .argument('<platform>', 'a platform that deploys from files (durable, unum)')
    .requiredOption('--workload <name>', 'the workload to deploy')
    .requiredOption('--out <dir>', 'directory to write the project into')
    .option('--param <key=value>', 'set a workload parameter; repeatable', collect, [])
    .action(deployCommand);

  program
    .command('cleanup')
    .description(
      "remove what Baton's cloud runs left on AWS (a killed run keeps its resources): Lambda functions and state machines named baton-* and tagged baton, Unum's baton-unum table, and the data buckets baton-TAG-data",
    )
    .requiredOption('--target <target>', 'cloud (the local stand-ins keep nothing)')
    .option('--dry-run', 'list what would be removed, remove nothing', false)
    .action(cleanupCommand);

  program.command('workloads').description('list workloads and their parameters').option('--json', 'as JSON', false).action(workloadsCommand);

  program
    .command('platforms')
    .description('print the capability matrix: how each platform runs each node kind, target and fault')
    .option('--json', 'as JSON', false)
    .action(platformsCommand);

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every parsing error is bad input.
      return error.exitCode === 0 ? 0 : 2;
    }
    const verbose = argv.includes('--verbose');
    if (error instanceof BatonError) {
      process.stderr.write(`baton: ${error.message}\n`);
      if (verbose) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    process.stderr.write(`baton: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('(run with --verbose for the stack trace)\n');
    return 1;
  }
}
