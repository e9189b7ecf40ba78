/**
 * Whose turn it is among the iterations of a Map. The service runs a Map's iterations
 * concurrently, but an iteration that only computes runs to its end before the next one
 * starts (its history shows them one after another); iterations overlap while they wait for
 * something outside (a Lambda call, a Wait, a retry's back-off). An iteration holds its
 * Map's turn while it computes and hands it on while it waits.
 */
export class Turn {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

/**
 * Waits for `work` with the turn handed on meanwhile, then takes it back. Only the innermost
 * Map's turn is handed on: an outer iteration keeps its own while the Map inside it waits.
 */
export async function awayFromTurn<T>(turn: Turn | undefined, work: Promise<T>): Promise<T> {
  if (!turn) return work;
  turn.release();
  try {
    return await work;
  } finally {
    await turn.acquire();
  }
}
