import { InputError } from '../model/errors.ts';
import type { PlatformAdapter, PlatformSetting, WorkflowDefinition } from '../model/index.ts';
import { AsfAdapter } from '../../platforms/asf/index.ts';
import { DurableAdapter, serveDurable, writeFunctionApp } from '../../platforms/durable/index.ts';
import { InlineAdapter } from '../../platforms/inline/index.ts';
import { serveAsf } from '../../platforms/asf/serve.ts';
import { ReferenceAdapter } from '../../platforms/reference/index.ts';
import { UnumAdapter, writeUnumAslProject, writeUnumProject } from '../../platforms/unum/index.ts';

/** Options of `baton run` that shape an adapter instance. */
export interface PlatformOptions {
  /** Nodes of a self-hosted platform (`--nodes`); 1 unless the platform has `maxNodes` > 1. */
  readonly nodes: number;
}

/** Options of `baton serve` (each platform says which it takes). */
export interface ServeOptions {
  readonly app?: string;
  readonly store?: string;
  readonly port?: string;
}

export interface PlatformEntry {
  /** A variant that runs only when `--platform` names it (not in a suite's every-platform default). */
  readonly onlyWhenNamed?: boolean;
  /** The `baton serve` options the platform takes. */
  readonly serveOptions?: readonly (keyof ServeOptions)[];
  /** Constructing an adapter is cheap: nothing starts before deploy. */
  readonly create: (options: PlatformOptions) => PlatformAdapter;
  /** How many nodes `--nodes` may ask for. */
  readonly maxNodes: number;
  /** Starts the platform's local stand-ins alone (`baton serve`). */
  readonly serve?: (options: ServeOptions) => Promise<{
    readonly endpoints: Readonly<Record<string, unknown>>;
    /** What requests to the stand-ins must be signed with (AWS SigV4), printed with the endpoints. */
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
    close(): Promise<void>;
  }>;
  /** Writes a deployable project for one workflow (`baton deploy`); returns the files written. */
  readonly writeProject?: (workflow: WorkflowDefinition, outDir: string) => Promise<string[]>;
  /** Writes the project of a Step Functions definition file as it is (`baton deploy P --workload asl:FILE`), needing no mapping file. */
  readonly writeAslProject?: (definitionFile: string, outDir: string) => Promise<string[]>;
}

/** Every platform adapter, by name. */
export const PLATFORMS: ReadonlyMap<string, PlatformEntry> = new Map([
  ['inline', { create: () => new InlineAdapter(), maxNodes: 1 }],
  ['reference', { create: ({ nodes }: PlatformOptions) => new ReferenceAdapter({ nodes }), maxNodes: 16 }],
  ['asf', { create: () => new AsfAdapter(), maxNodes: 1, serve: serveAsf }],
  ['asf-express', { create: () => new AsfAdapter({ type: 'EXPRESS' }), maxNodes: 1, serve: serveAsf }],
  ['unum', { create: () => new UnumAdapter(), maxNodes: 1, writeProject: writeUnumProject, writeAslProject: writeUnumAslProject }],
  ['unum-sequential', { create: () => new UnumAdapter({ mapStart: 'sequential' }), maxNodes: 1, onlyWhenNamed: true }],
  ['unum-at-least-once', { create: () => new UnumAdapter({ checkpoint: false }), maxNodes: 1, onlyWhenNamed: true }],
  ['durable', { create: () => new DurableAdapter(), maxNodes: 1, writeProject: writeFunctionApp, serve: serveDurable, serveOptions: ['app', 'store', 'port'] }],
]);

/** Every platform's settings (`--param NAME=VALUE` choices), by platform, read once. */
let settingsByPlatform: ReadonlyMap<string, Readonly<Record<string, PlatformSetting>>> | undefined;
export function platformSettings(): ReadonlyMap<string, Readonly<Record<string, PlatformSetting>>> {
  settingsByPlatform ??= new Map([...PLATFORMS].map(([name, entry]) => [name, entry.create({ nodes: 1 }).settings ?? {}]));
  return settingsByPlatform;
}

export function platformByName(name: string): PlatformEntry {
  const entry = PLATFORMS.get(name);
  if (!entry) throw new InputError('E_UNKNOWN_PLATFORM', `unknown platform '${name}': expected one of ${[...PLATFORMS.keys()].join(', ')}`);
  return entry;
}
