/** One running workflow (a session) on the node that started it, and what it returns. */
import type { StorageIo } from './durable/function-storage.ts';
import type { RuntimeValue } from './value.ts';

export interface InvocationRecord {
  readonly fn: string;
  readonly id: string;
  readonly attempt: number;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly inBytes: number;
  readonly outBytes: number;
  /** Output bytes that had to be copied into the store (0 when the function used ctx.alloc). */
  readonly copiedBytes: number;
  readonly worker: string;
  readonly cold: boolean;
  readonly parents: readonly string[];
  /** The hop's stamps: the node posted the call, the executor got it, posted the reply, the node got that. */
  readonly sentNs: bigint;
  readonly receivedNs: bigint;
  readonly repliedNs: bigint;
  readonly replyReceivedNs: bigint;
  /** Its calls to the app's durable store, when it made any. */
  readonly storage?: StorageIo;
}

export interface SessionResult {
  /** Byte arrays are copies: the store's memory is reused once the session ends. */
  readonly output: RuntimeValue;
  readonly invocations: readonly InvocationRecord[];
  /** The invocations whose outputs the output holds. */
  readonly outputFrom: readonly string[];
  readonly submitNs: bigint;
  readonly doneNs: bigint;
}

export interface Session<App> {
  readonly id: string;
  readonly app: App;
  readonly submitNs: bigint;
  readonly invocations: InvocationRecord[];
  /** Invocation id -> its depth in the workflow (1 + the deepest parent): the scheduler's priority. */
  readonly depth: Map<string, number>;
  /** Other nodes that ran calls of this session. */
  readonly nodes: Set<string>;
  readonly resolve: (result: SessionResult) => void;
  readonly reject: (error: Error) => void;
  nextInvocation: number;
  done: boolean;
}
