/** Where an instance spends its time outside user code, by kind: what the next transition is made of. */
export type Part = 'storeRead' | 'storeWrite' | 'invoke';

export class PartTimer {
  readonly us: Record<`${Part}Us`, number> = { storeReadUs: 0, storeWriteUs: 0, invokeUs: 0 };

  async time<T>(part: Part, work: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      this.us[`${part}Us`] += Number(process.hrtime.bigint() - started) / 1000;
    }
  }
}
