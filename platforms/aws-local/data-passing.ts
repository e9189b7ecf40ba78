/**
 * How data travels between the functions of an AWS workflow (`--param dataPassing=...`),
 * the settings of the AWS adapters, and what each way is billed for.
 */
import type { ChoiceSetting, ParamSpec } from '../../harness/model/index.ts';
import type { StoreIo } from './offload.ts';

export type DataPassing = 'inline' | 's3' | 'redis' | 'nested';

/**
 * A Step Functions state holds 256 KiB; a value's envelope (Baton's record of the run, with
 * its store requests) and the state's own wrapping take up to about 16 KiB of it.
 */
export const DEFAULT_OFFLOAD_BYTES = 256 * 1024 - 16 * 1024;

export const DATA_PASSING: ChoiceSetting = {
  description: 'how data travels between functions',
  default: 'inline',
  choices: {
    inline: 'in the payloads the orchestrator passes (Step Functions: 256 KiB a state)',
    s3: 'values over offloadBytes in an S3 bucket, a pointer in the state (the pattern AWS documents); inside a Step Functions fan-out, all of them',
    redis: "every value's data in Redis (ElastiCache's role), only a key in the state",
    nested: 'each function invokes the next directly and waits (Lambda RequestResponse); no orchestrator',
  },
};

export const OFFLOAD_BYTES: ParamSpec & { onlyWith: Record<string, string[]> } = {
  description: 'with dataPassing=s3: a value whose state would be larger goes through S3 (0: every value)',
  default: DEFAULT_OFFLOAD_BYTES,
  min: 0,
  max: 256 * 1024,
  integer: true,
  unit: 'bytes',
  onlyWith: { dataPassing: ['s3'] },
};

/** What one function's run (or the client, for the input and output) did with the store. */
export type StorageRecord = Readonly<StoreIo>;

/** S3 bills storage by the GB-month, a month being 730 hours (its pricing page's convention). */
export function s3GbMonths(byteSeconds: number): number {
  return byteSeconds / 2 ** 30 / (730 * 3600);
}

/**
 * The usage lines of a run's store traffic: S3 requests and the GB-months its objects were
 * kept (written until removed at `removedEpochMs`); for Redis, the node's time over the run
 * (one run at a time holds the node: a closed loop), which is what ElastiCache bills.
 */
export function storageUsage(kind: 's3' | 'redis', records: readonly StorageRecord[], removedEpochMs: number, runSeconds: number): Record<string, number> {
  if (kind === 'redis') return { 'aws.elasticache.nodeSecond': runSeconds };
  const byteSeconds = records.reduce((sum, r) => sum + Math.max(0, r.putBytes * removedEpochMs - r.byteEpochMs) / 1000, 0);
  return {
    'aws.s3.putRequest': records.reduce((n, r) => n + r.puts, 0),
    'aws.s3.getRequest': records.reduce((n, r) => n + r.gets, 0),
    'aws.s3.gbMonth': s3GbMonths(byteSeconds),
  };
}
