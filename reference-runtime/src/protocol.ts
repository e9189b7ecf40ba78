/** Messages between a node's scheduler (main thread) and its executor threads. */
import type { RuntimeValue } from './value.ts';

export interface CallMessage {
  readonly type: 'call';
  readonly callId: number;
  readonly functionsUrl: string;
  readonly fn: string;
  readonly invocationId: string;
  readonly input: RuntimeValue;
}

export type ReplyMessage =
  | {
      readonly type: 'done';
      readonly callId: number;
      readonly output: RuntimeValue;
      readonly startNs: bigint;
      readonly endNs: bigint;
      /** The functions module was loaded for this call. */
      readonly cold: boolean;
      /** Output bytes that were not in shared memory and had to be copied into it. */
      readonly copiedBytes: number;
    }
  | {
      readonly type: 'failed';
      readonly callId: number;
      readonly message: string;
      readonly startNs: bigint;
      readonly endNs: bigint;
      readonly cold: boolean;
    };
