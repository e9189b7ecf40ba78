/**
 * Messages between node processes over TCP: each frame is a 4-byte length and a
 * `v8.serialize`d message (which carries bigints and byte arrays as they are).
 * A link does request/response by id on top, in both directions.
 */
import { connect, type Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';

export type Message = { readonly type: string; readonly [key: string]: unknown };

export class Link {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private nextRequest = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private closedError: Error | undefined;

  /** `onMessage` gets every message that is not a response; `reply` answers a request. */
  constructor(socket: Socket, onMessage: (message: Message, reply: (response: Message) => void) => void, onClose: (error: Error) => void) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4) {
        const length = this.buffered.readUInt32LE(0);
        if (this.buffered.length < 4 + length) break;
        const message = deserialize(this.buffered.subarray(4, 4 + length)) as Message & { $re?: number; $id?: number };
        this.buffered = this.buffered.subarray(4 + length);
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

  static connect(port: number, onMessage: ConstructorParameters<typeof Link>[1], onClose: (error: Error) => void): Promise<Link> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.off('error', reject);
        resolve(new Link(socket, onMessage, onClose));
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
