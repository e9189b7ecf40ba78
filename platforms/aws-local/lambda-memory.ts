/** `--param memoryMB=...` on the AWS adapters: each function's Lambda memory. */
import type { ParamSpec } from '../../harness/model/index.ts';

export const LAMBDA_MEMORY_MB: ParamSpec = {
  description:
    "each function's Lambda memory: billed per GB-second, and below 1769 MB a share of one vCPU in proportion (the local Lambda emulates the share, harness/adapter-kit/cpu-share.ts)",
  default: 1024,
  min: 128,
  max: 10_240,
  integer: true,
  unit: 'MB',
};
