/**
 * Messages between node processes over TCP: each frame is a 4-byte length and a
 * `v8.serialize`d message (which carries bigints and byte arrays as they are).
 * A link does request/response by id on top, in both directions.
 *
 * Only the cluster's own nodes get in: the side that connects first sends the cluster's
 * secret (handed to every node over its private IPC channel), and the accepting side
 * closes a connection whose first frame is not that. A malformed or oversized frame
 * closes its connection, never the node.
 */
import { timingSafeEqual } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';

/** Larger frames are refused: no message between nodes comes near it (objects travel in parts). */
const MAX_FRAME_BYTES = 1024 ** 3;

export type Message = { readonly type: string; readonly [key: string]: unknown };

export class Link {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private nextRequest = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private closedError: Error | undefined;

  /**
   * `onMessage` gets every message that is not a response; `reply` answers a request.
   * `secret`: the cluster's; an accepting link (`accepting: true`) waits for it as the first frame.
   */
  constructor(
    socket: Socket,
    onMessage: (message: Message, reply: (response: Message) => void) => void,
    onClose: (error: Error) => void,
    auth: { readonly secret: string; readonly accepting: boolean },
  ) {
    this.socket = socket;
    socket.setNoDelay(true);
    let admitted = !auth.accepting;
    const refuse = (why: string): void => {
      socket.destroy(new Error(why));
    };
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4) {
        const length = this.buffered.readUInt32LE(0);
        if (length > MAX_FRAME_BYTES) return refuse(`a frame of ${length} bytes is over the limit`);
        if (this.buffered.length < 4 + length) break;
        let message: Message & { $re?: number; $id?: number };
        try {
          message = deserialize(this.buffered.subarray(4, 4 + length)) as Message & { $re?: number; $id?: number };
        } catch {
          return refuse('a malformed frame');
        }
        this.buffered = this.buffered.subarray(4 + length);
        if (typeof message !== 'object' || message === null || typeof message.type !== 'string') return refuse('a frame that is not a message');
        if (!admitted) {
          if (message.type !== 'hello' || !sameSecret(message['secret'], auth.secret)) return refuse('not a node of this cluster');
          admitted = true;
          continue;
        }
        if (message.$re !== undefined) {
          const waiter = this.pending.get(message.$re);
          this.pending.delete(message.$re);
          waiter?.resolve(message);
        } else {
          const id = message.$id;
          onMessage(message, (response) => this.write(id === undefined ? response : { ...response, $re: id }));
        }
      }
    });
    const close = (error?: Error): void => {
      if (this.closedError) return;
      this.closedError = error ?? new Error('connection closed');
      for (const waiter of this.pending.values()) waiter.reject(this.closedError);
      this.pending.clear();
      onClose(this.closedError);
    };
    socket.on('error', close);
    socket.on('close', () => close());
  }

  static connect(port: number, secret: string, onMessage: ConstructorParameters<typeof Link>[1], onClose: (error: Error) => void): Promise<Link> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.off('error', reject);
        const link = new Link(socket, onMessage, onClose, { secret, accepting: false });
        link.send({ type: 'hello', secret });
        resolve(link);
      });
      socket.once('error', reject);
    });
  }

  send(message: Message): void {
    this.write(message);
  }

  request(message: Message): Promise<Message> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.write({ ...message, $id: id });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private write(message: Message): void {
    if (this.closedError) return;
    const body = serialize(message);
    const header = Buffer.allocUnsafe(4);
    header.writeUInt32LE(body.length, 0);
    this.socket.write(Buffer.concat([header, body]));
  }
}

function sameSecret(given: unknown, secret: string): boolean {
  return typeof given === 'string' && given.length === secret.length && timingSafeEqual(Buffer.from(given), Buffer.from(secret));
}
