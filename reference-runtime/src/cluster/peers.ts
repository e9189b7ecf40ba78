/**
 * A node's part in a cluster: links to the other node processes, placement of calls
 * (the coordinator shard of the workflows homed here), running calls that other
 * nodes place here, and serving the bytes this node owns to the nodes that need them.
 *
 * Objects a node produces for a call placed by another node stay in its store until
 * that session ends (the home node says so), then they are freed.
 */
import type { CallReply } from '../executor-pool.ts';
import type { Distribution, RemoteCall, RuntimeNode } from '../node.ts';
import type { RuntimeValue } from '../value.ts';
import { Link, type Message } from './wire.ts';
import { place, type NodeLoad, type PlacementPolicy } from './placement.ts';
import { bytesByNode, fromWire, localize, remoteHandlesOf, toWire, type RemoteHandle } from './remote-values.ts';

export interface PeerAddress {
  readonly name: string;
  readonly port: number;
  readonly executors: number;
}

export class Peers implements Distribution {
  private readonly node: RuntimeNode;
  private readonly policy: PlacementPolicy;
  private readonly links = new Map<string, Link>();
  private readonly loads = new Map<string, NodeLoad>();
  private readonly sessionHolds = new Map<string, (readonly number[])[]>();
  private turn = 0;

  private readonly secret: string;

  constructor(node: RuntimeNode, policy: PlacementPolicy, secret: string) {
    this.node = node;
    this.policy = policy;
    this.secret = secret;
    this.loads.set(node.name, { name: node.name, load: 0, executors: node.executorCount });
  }

  private get self(): string {
    return this.node.name;
  }

  async connect(peers: readonly PeerAddress[]): Promise<void> {
    await Promise.all(
      peers
        .filter((p) => p.name !== this.self)
        .map(async (peer) => {
          const link = await Link.connect(
            peer.port,
            this.secret,
            () => {},
            () => this.peerDied(peer.name),
          );
          this.links.set(peer.name, link);
          this.loads.set(peer.name, { name: peer.name, load: 0, executors: peer.executors });
        }),
    );
  }

  /** A message from another node, on the link it opened to this one. */
  handle(message: Message, reply: (response: Message) => void): void {
    if (typeof message['from'] === 'string' && typeof message['load'] === 'number') this.heard(message['from'], message['load']);
    switch (message.type) {
      case 'call':
        this.runPlaced(message['call'] as RemoteCall).then(
          (result) => reply({ type: 'reply', reply: result, from: this.self, load: this.node.load }),
          (error: Error) => reply({ type: 'error', message: error.message, from: this.self, load: this.node.load }),
        );
        return;
      case 'fetch': {
        const [offset, sizeBytes] = message['at'] as [number, number];
        reply({ type: 'bytes', data: Buffer.from(this.node.store.arena.view(offset, sizeBytes)) });
        return;
      }
      case 'endSession':
        for (const blocks of this.sessionHolds.get(message['session'] as string) ?? []) this.node.store.release(blocks);
        this.sessionHolds.delete(message['session'] as string);
        return;
    }
  }

  place(input: RuntimeValue): string | undefined {
    this.loads.set(this.self, { name: this.self, load: this.node.load, executors: this.node.executorCount });
    const target = place(this.policy, this.self, bytesByNode(input, this.self), [...this.loads.values()], this.turn++);
    return target === this.self ? undefined : target;
  }

  async callRemote(node: string, call: RemoteCall): Promise<CallReply> {
    const link = this.link(node);
    const response = await link.request({
      type: 'call',
      call: { ...call, input: toWire(call.input, this.self, this.node.store.arena) },
      from: this.self,
      load: this.node.load,
    });
    this.heard(node, response['load'] as number);
    if (response.type === 'error') throw new Error(`node ${node}: ${response['message'] as string}`);
    const reply = response['reply'] as CallReply;
    if (reply.type !== 'done') return reply;
    return { ...reply, output: fromWire(reply.output, this.self, this.node.store.arena).value };
  }

  hasRemote(value: RuntimeValue): boolean {
    return remoteHandlesOf(value).length > 0;
  }

  localize(value: RuntimeValue): Promise<{ value: RuntimeValue; blocks: readonly number[] }> {
    return localize(value, this.node.store.arena, (handle) => this.fetch(handle));
  }

  sessionEnded(session: string, nodes: ReadonlySet<string>): void {
    for (const node of nodes) this.links.get(node)?.send({ type: 'endSession', session, from: this.self, load: this.node.load });
  }

  peerDied(name: string): void {
    this.links.get(name)?.close();
    this.links.delete(name);
    this.loads.delete(name);
    this.node.failSessionsUsing(name, `node ${name} died`);
  }

  close(): void {
    for (const link of this.links.values()) link.close();
  }

  /** A call another node placed here: its input's bytes are made local first. */
  private async runPlaced(call: RemoteCall): Promise<CallReply> {
    const arena = this.node.store.arena;
    const inline = fromWire(call.input, this.self, arena);
    this.node.store.retain(inline.blocks);
    try {
      const local = await this.localize(inline.value);
      this.node.store.retain(local.blocks);
      try {
        const reply = await this.node.runPlaced({ ...call, input: local.value });
        if (reply.type !== 'done') return reply;
        const holds = this.sessionHolds.get(call.session) ?? [];
        holds.push(this.node.store.hold(reply.output));
        this.sessionHolds.set(call.session, holds);
        return { ...reply, output: toWire(reply.output, this.self, arena) };
      } finally {
        this.node.store.release(local.blocks);
      }
    } finally {
      this.node.store.release(inline.blocks);
    }
  }

  private async fetch(handle: RemoteHandle): Promise<Uint8Array> {
    const response = await this.link(handle.$node).request({ type: 'fetch', at: handle.$arena, from: this.self, load: this.node.load });
    return response['data'] as Uint8Array;
  }

  private link(node: string): Link {
    const link = this.links.get(node);
    if (!link) throw new Error(`node ${node} is not reachable (it died or never joined)`);
    return link;
  }

  private heard(node: string, load: number): void {
    const known = this.loads.get(node);
    if (known) this.loads.set(node, { ...known, load });
  }
}
