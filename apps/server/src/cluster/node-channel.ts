import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A message between nodes: a kind, and whatever that kind carries. */
export interface NodeMessage {
  kind: string;
  [field: string]: unknown;
}

export type NodeMessageHandler = (message: NodeMessage) => void;

/**
 * This node's mailbox on Redis pub/sub: every node subscribes to its own channel, so that others
 * can reach the node holding a given charge point. One subscriber connection per node.
 */
export class NodeChannel {
  readonly nodeId = randomUUID();
  private readonly handlers = new Map<string, NodeMessageHandler>();
  private readonly subscriber: Redis;
  private ready: Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    onError: (error: unknown) => void,
    private readonly prefix = 'cimorings:node:',
  ) {
    this.subscriber = redis.duplicate();
    // A duplicate does not inherit the original's listeners: without one, errors reach the console.
    this.subscriber.on('error', onError);
    this.subscriber.on('message', (_channel: string, text: string) => {
      let message: NodeMessage;
      try {
        message = JSON.parse(text) as NodeMessage;
      } catch {
        return;
      }
      this.handlers.get(message.kind)?.(message);
    });
    this.ready = this.subscriber.subscribe(this.channelOf(this.nodeId));
  }

  on(kind: string, handler: NodeMessageHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Resolves once this node receives its messages. */
  whenReady(): Promise<unknown> {
    return this.ready;
  }

  /** Sends to a node; answers false when no node listens there (it is gone). */
  async send(nodeId: string, message: NodeMessage): Promise<boolean> {
    const receivers = await this.redis.publish(this.channelOf(nodeId), JSON.stringify(message));
    return receivers > 0;
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await this.subscriber.quit().catch(() => undefined);
    this.ready = Promise.resolve();
  }

  private channelOf(nodeId: string): string {
    return `${this.prefix}${nodeId}`;
  }
}
