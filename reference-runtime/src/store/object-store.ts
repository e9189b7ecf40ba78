/**
 * The scheduler's view of the arena: how many live objects refer to each allocation.
 * An allocation is freed when the last object that refers to it is consumed or
 * dropped, never earlier, so no consumer ever reads reused memory.
 */
import type { RuntimeValue } from '../value.ts';
import { type Arena, COMMITTED } from './arena.ts';
import { allocationsOf } from './transfer.ts';

export class ObjectStore {
  readonly arena: Arena;
  private readonly refs = new Map<number, number>();

  constructor(arena: Arena) {
    this.arena = arena;
  }

  /**
   * Takes over what a call allocated: the allocations its output refers to are
   * committed, the rest (its scratch, or all of it when the call failed) freed.
   */
  adopt(output: RuntimeValue | undefined, allocated: readonly number[]): void {
    const kept = new Set(output === undefined ? [] : allocationsOf(output, this.arena));
    for (const block of allocated) {
      if (kept.has(block)) this.arena.commit(block);
      else this.arena.free(block);
    }
  }

  /** One more live object refers to the allocations in `value`; returns them for `release`. */
  hold(value: RuntimeValue): readonly number[] {
    const blocks = allocationsOf(value, this.arena);
    this.retain(blocks);
    return blocks;
  }

  retain(blocks: readonly number[]): void {
    for (const block of blocks) this.refs.set(block, (this.refs.get(block) ?? 0) + 1);
  }

  release(blocks: readonly number[]): void {
    for (const block of blocks) {
      const count = (this.refs.get(block) ?? 0) - 1;
      if (count > 0) {
        this.refs.set(block, count);
        continue;
      }
      this.refs.delete(block);
      if (this.arena.ownerOf(block) === COMMITTED) this.arena.free(block);
    }
  }

  /** Allocations referred to by at least one live object. */
  get liveAllocations(): number {
    return this.refs.size;
  }
}
