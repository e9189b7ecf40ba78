/**
 * Timers for the local host at any distance. Node's setTimeout holds at most 2^31-1 ms
 * (24.8 days) and fires at once past that; a durable timer may be months away, so a far
 * one is waited for in steps. (The SDK itself splits timers longer than the extension's
 * maximumShortTimerDuration into sub-timers of longRunningTimerIntervalDuration, as
 * Azure's history shows; this is only the host's own clock.)
 */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class LongTimers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** Calls `fire` once the wall clock reaches `fireAtMs`. */
  at(fireAtMs: number, fire: () => void): void {
    const remainingMs = fireAtMs - Date.now();
    const timer = setTimeout(
      () => {
        this.pending.delete(timer);
        if (remainingMs > MAX_TIMEOUT_MS) this.at(fireAtMs, fire);
        else fire();
      },
      Math.max(0, Math.min(remainingMs, MAX_TIMEOUT_MS)),
    );
    this.pending.add(timer);
  }

  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
