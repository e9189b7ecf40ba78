/**
 * Lambda gives a function CPU in proportion to its memory: one full vCPU at 1,769 MB
 * (AWS Lambda's documentation, "Memory and computing power"), more vCPUs above it, which
 * a single-threaded JavaScript function cannot use. The local Lambda stand-in emulates the
 * share below a full vCPU (it sets BATON_LOCAL_CPU_SHARE in each function's environment):
 * after the user code, the function waits as long again as its compute would have taken
 * longer at that share. Compute is the user code's time minus the time it had a storage
 * call in flight (waiting is not slowed by a smaller CPU share); that is a proxy, as Node 22
 * has no per-thread CPU clock and each Lambda instance is a thread here: a function that
 * sleeps on a timer is stretched too. In the cloud the variable is unset: Lambda throttles
 * for real.
 */
export const FULL_VCPU_MB = 1769;
export const CPU_SHARE_ENV = 'BATON_LOCAL_CPU_SHARE';

/** The share of one vCPU a function of `memoryMB` gets (at most 1: one thread). */
export function cpuShareOf(memoryMB: number): number {
  return Math.min(1, memoryMB / FULL_VCPU_MB);
}

/** How much longer, ms, `computeMs` of work takes at `share` of the CPU it ran on. */
export function throttleMs(computeMs: number, share: number): number {
  return share >= 1 || share <= 0 ? 0 : computeMs * (1 / share - 1);
}

/** The share this process's functions are held to (the stand-in's variable), or 1. */
export function localCpuShare(): number {
  const share = Number(process.env[CPU_SHARE_ENV]);
  return share > 0 && share < 1 ? share : 1;
}
