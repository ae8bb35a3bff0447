import type { Redis } from 'ioredis';
import type { ErrorCode } from '@cimorings/contracts';
import { observeUnawaited, SUBSCRIPTIONS } from './unawaited-commands.js';

/** An error as it travels back between nodes: its code, so every node answers it alike. */
export interface NodeError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The messages nodes send each other, one shape per kind. */
export type NodeMessage =
  /** Call a charge point held by the receiving node; answer to `replyTo`. */
  | {
      kind: 'command';
      requestId: string;
      replyTo: string;
      chargePointId: string;
      action: string;
      payload: unknown;
      timeoutMs: number;
    }
  /** The outcome of a `command`: its result, or its error. */
  | { kind: 'answer'; requestId: string; result?: unknown; error?: NodeError }
  /** The charge point connected through another node: close the connection held here. */
  | { kind: 'evict'; chargePointId: string };

export type NodeMessageKind = NodeMessage['kind'];
export type NodeMessageOf<K extends NodeMessageKind> = Extract<NodeMessage, { kind: K }>;

/**
 * This node's mailbox on Redis pub/sub: every node subscribes to its own channel, so that others
 * can reach the node holding a given charge point. One subscriber connection per node.
 */
export class NodeChannel {
  private readonly handlers = new Map<NodeMessageKind, (message: NodeMessage) => void>();
  private readonly subscriber: Redis;
  private ready: Promise<unknown>;

  constructor(
    readonly nodeId: string,
    private readonly redis: Redis,
    onError: (error: unknown) => void,
    private readonly prefix = 'cimorings:node:',
  ) {
    // Its resubscription after a reconnect is not awaited by ioredis: observed, not unhandled.
    this.subscriber = observeUnawaited(redis.duplicate(), SUBSCRIPTIONS, onError);
    // A duplicate does not inherit the original's listeners: without one, errors reach the console.
    this.subscriber.on('error', onError);
    this.subscriber.on('message', (_channel: string, text: string) => {
      const message = parse(text);
      if (message) this.handlers.get(message.kind)?.(message);
    });
    this.ready = this.subscriber.subscribe(this.channelOf(this.nodeId));
  }

  on<K extends NodeMessageKind>(kind: K, handler: (message: NodeMessageOf<K>) => void): void {
    this.handlers.set(kind, handler as (message: NodeMessage) => void);
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

/** Only nodes of this server publish on these channels: a message is checked for its kind only. */
function parse(text: string): NodeMessage | undefined {
  try {
    const message = JSON.parse(text) as { kind?: unknown } | null;
    return typeof message?.kind === 'string' ? (message as NodeMessage) : undefined;
  } catch {
    return undefined;
  }
}
