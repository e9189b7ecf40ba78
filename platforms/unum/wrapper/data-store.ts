/**
 * dataPassing=s3 on Unum: the checkpoints (and the exactly-once protocol's conditional
 * writes) stay in DynamoDB, their data goes to S3 when a value is over `offloadBytes`,
 * and only pointers travel in checkpoints and invoke payloads. Unum lists S3 among its
 * intermediary data stores (docs/data-store.md); its S3 store keeps whole checkpoints
 * there, this one only their data (README: what differs).
 *
 * Store time counts in the transition's parts, as DynamoDB's does; requests, bytes and
 * when each object was written go to the invocation's bill in the ledger.
 */
import { newStoreIo, offload, resolveRefs } from '../../aws-local/offload.ts';
import { storeAt, type StoreAddress, type ValueStore } from '../../aws-local/value-store.ts';
import type { PartTimer } from './timing.ts';

export class UnumData {
  private readonly io = newStoreIo();
  private readonly store: ValueStore;
  private readonly offloadBytes: number;
  private readonly timer: PartTimer;

  constructor(store: ValueStore, offloadBytes: number, timer: PartTimer) {
    this.store = store;
    this.offloadBytes = offloadBytes;
    this.timer = timer;
  }

  /** The store of `UNUM_STORE` (made once per execution environment), or undefined for inline data. */
  static storeFromEnv(env: NodeJS.ProcessEnv): ValueStore | undefined {
    const address = env['UNUM_STORE'];
    return address ? storeAt(JSON.parse(address) as StoreAddress) : undefined;
  }

  /** `json` with every pointer (`wholeOnly`: every whole value's) replaced by its data (a copy: the event's own values are left as they came). */
  async resolve(json: unknown, options: { wholeOnly?: boolean } = {}): Promise<unknown> {
    const before = this.io.readUs.length;
    const resolved = await resolveRefs(structuredClone(json), this.store, this.io, options);
    this.timer.us.storeReadUs += sum(this.io.readUs.slice(before));
    return resolved;
  }

  /** `json` with its data over the threshold in the store under `prefix` (a copy). */
  async offload(json: unknown, prefix: string): Promise<unknown> {
    const before = this.io.writeUs.length;
    const out = await offload(structuredClone(json), this.store, prefix, this.offloadBytes, this.io);
    this.timer.us.storeWriteUs += sum(this.io.writeUs.slice(before));
    return out;
  }

  /** The ledger's lines: S3 requests, and the bytes written with Σ bytes × write time (for the GB-months, once they are removed). */
  bill(): Record<string, number> {
    return {
      s3Puts: this.io.puts,
      s3Gets: this.io.gets,
      s3Bytes: this.io.putBytes,
      s3ByteEpochMs: this.io.byteEpochMs,
    };
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
