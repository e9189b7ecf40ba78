/**
 * A node's object memory: one SharedArrayBuffer divided into fixed blocks, shared by
 * the scheduler thread and every executor thread of the node. Any thread may
 * allocate; an allocation is a run of contiguous blocks found first-fit from a moving
 * hint, under a spin lock (critical sections are a scan and a fill).
 *
 * Each block records who holds it: free, committed (owned by the scheduler's object
 * store), or pending in executor N (allocated during a call whose output has not been
 * handed over yet). So the scheduler can reclaim a crashed executor's memory.
 *
 * When the arena is full, an executor waits (Atomics.wait) until memory is freed:
 * back-pressure on producers. The wait is bounded; past it the allocation fails
 * with a StoreFullError that says how much was asked for and how much is in use.
 */

export const FREE = 0;
export const COMMITTED = 255;
/** Owner tags 1..254 are executors (index + 1). */
export const MAX_EXECUTORS = 254;

const LOCK = 0;
const FREED_SEQ = 1;
const HINT = 2;
const WAITS = 3;
const CONTROL_WORDS = 4;

export interface ArenaBuffers {
  readonly data: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
  readonly bytes: SharedArrayBuffer; // BigInt64: [usedBytes, peakBytes]
  readonly owner: SharedArrayBuffer;
  readonly runLength: SharedArrayBuffer;
  readonly runStart: SharedArrayBuffer;
  readonly blockBytes: number;
}

export class StoreFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreFullError';
  }
}

export class Arena {
  readonly buffers: ArenaBuffers;
  private readonly control: Int32Array;
  private readonly stats: BigInt64Array;
  private readonly owner: Uint8Array;
  private readonly runLength: Int32Array;
  private readonly runStart: Int32Array;
  private readonly blocks: number;
  readonly blockBytes: number;

  static create(capacityBytes: number, blockBytes = 4096): Arena {
    const blocks = Math.max(1, Math.ceil(capacityBytes / blockBytes));
    return new Arena({
      data: new SharedArrayBuffer(blocks * blockBytes),
      control: new SharedArrayBuffer(CONTROL_WORDS * 4),
      bytes: new SharedArrayBuffer(16),
      owner: new SharedArrayBuffer(blocks),
      runLength: new SharedArrayBuffer(blocks * 4),
      runStart: new SharedArrayBuffer(blocks * 4),
      blockBytes,
    });
  }

  /** The same arena, seen from another thread. */
  constructor(buffers: ArenaBuffers) {
    this.buffers = buffers;
    this.control = new Int32Array(buffers.control);
    this.stats = new BigInt64Array(buffers.bytes);
    this.owner = new Uint8Array(buffers.owner);
    this.runLength = new Int32Array(buffers.runLength);
    this.runStart = new Int32Array(buffers.runStart);
    this.blocks = this.owner.length;
    this.blockBytes = buffers.blockBytes;
  }

  get capacityBytes(): number {
    return this.blocks * this.blockBytes;
  }
  get usedBytes(): number {
    return Number(Atomics.load(this.stats, 0));
  }
  get peakBytes(): number {
    return Number(Atomics.load(this.stats, 1));
  }
  /** How many allocations had to wait for memory (back-pressure events). */
  get waits(): number {
    return Atomics.load(this.control, WAITS);
  }

  /**
   * Allocates `sizeBytes` for `owner`; returns the byte offset. Waits up to `waitMs`
   * for memory when full (pass 0 on a thread that must not block); `onWait` runs once,
   * just before the first wait.
   */
  alloc(sizeBytes: number, owner: number, waitMs: number, onWait?: () => void): number {
    const needed = Math.max(1, Math.ceil(sizeBytes / this.blockBytes));
    if (needed > this.blocks) {
      throw new StoreFullError(`object store: ${sizeBytes} bytes requested, more than its whole capacity of ${this.capacityBytes} bytes`);
    }
    const deadline = Date.now() + waitMs;
    let waited = false;
    for (;;) {
      const seq = Atomics.load(this.control, FREED_SEQ);
      const block = this.tryAlloc(needed, owner);
      if (block >= 0) return block * this.blockBytes;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new StoreFullError(
          `object store full: ${sizeBytes} bytes requested, ${this.usedBytes} of ${this.capacityBytes} bytes in use` +
            (waitMs > 0 ? ` after waiting ${waitMs} ms for consumers to free memory` : ''),
        );
      }
      if (!waited) {
        Atomics.add(this.control, WAITS, 1);
        onWait?.();
      }
      waited = true;
      Atomics.wait(this.control, FREED_SEQ, seq, remaining);
    }
  }

  view(offset: number, sizeBytes: number): Uint8Array {
    return new Uint8Array(this.buffers.data, offset, sizeBytes);
  }

  /** The first block of the allocation that holds byte `offset`. */
  runStartOf(offset: number): number {
    return Atomics.load(this.runStart, Math.floor(offset / this.blockBytes));
  }

  ownerOf(block: number): number {
    return Atomics.load(this.owner, block);
  }

  /** Hands a pending allocation over to the scheduler's object store. */
  commit(block: number): void {
    this.withLock(() => {
      const length = this.runLength[block]!;
      this.owner.fill(COMMITTED, block, block + length);
    });
  }

  free(block: number): void {
    this.withLock(() => this.freeRun(block));
    this.wakeWaiters();
  }

  /** Frees every allocation still pending for `owner` (an executor's scratch or a crashed call). */
  freeOwnedBy(owner: number): number {
    let freedBytes = 0;
    this.withLock(() => {
      for (let block = 0; block < this.blocks; block++) {
        if (this.owner[block] === owner && this.runStart[block] === block) freedBytes += this.freeRun(block);
      }
    });
    if (freedBytes > 0) this.wakeWaiters();
    return freedBytes;
  }

  private tryAlloc(needed: number, owner: number): number {
    return this.withLock(() => {
      const start = this.findRun(needed);
      if (start < 0) return -1;
      this.owner.fill(owner, start, start + needed);
      this.runStart.fill(start, start, start + needed);
      this.runLength[start] = needed;
      this.control[HINT] = (start + needed) % this.blocks;
      const used = Atomics.add(this.stats, 0, BigInt(needed * this.blockBytes)) + BigInt(needed * this.blockBytes);
      if (used > Atomics.load(this.stats, 1)) Atomics.store(this.stats, 1, used);
      return start;
    });
  }

  /** First fit from the hint, wrapping once. */
  private findRun(needed: number): number {
    const hint = this.control[HINT]!;
    const scan = (from: number, to: number): number => {
      let runStart = from;
      let runLength = 0;
      for (let block = from; block < to; block++) {
        if (this.owner[block] !== FREE) {
          runLength = 0;
          runStart = block + 1;
          continue;
        }
        if (++runLength === needed) return runStart;
      }
      return -1;
    };
    const found = scan(hint, this.blocks);
    return found >= 0 ? found : scan(0, Math.min(this.blocks, hint + needed - 1));
  }

  private freeRun(block: number): number {
    const length = this.runLength[block]!;
    if (length <= 0 || this.owner[block] === FREE) return 0;
    this.owner.fill(FREE, block, block + length);
    this.runLength[block] = 0;
    Atomics.sub(this.stats, 0, BigInt(length * this.blockBytes));
    return length * this.blockBytes;
  }

  private wakeWaiters(): void {
    Atomics.add(this.control, FREED_SEQ, 1);
    Atomics.notify(this.control, FREED_SEQ);
  }

  private withLock<T>(body: () => T): T {
    while (Atomics.compareExchange(this.control, LOCK, 0, 1) !== 0) {
      // Spin: the holder only scans or fills a byte map.
    }
    try {
      return body();
    } finally {
      Atomics.store(this.control, LOCK, 0);
    }
  }
}
