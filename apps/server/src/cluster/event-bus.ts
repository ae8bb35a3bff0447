import type { DomainEvent } from '../domain/events.js';

export type EventHandler = (event: DomainEvent) => void;

/**
 * Domain events from the services to whoever listens on this node (the real-time API).
 * Publishing never waits on listeners and a failing listener never reaches the publisher.
 * In memory on every node, with or without Redis: an event is handled on the node where it
 * happened, and what other nodes must see crosses by the Socket.IO Redis adapter
 * (`realtime/io.ts`: the real-time broadcasts, and `access_changed` by `serverSideEmit`).
 * Carrying the events themselves between nodes too would send every broadcast twice.
 */
export interface EventBus {
  publish(event: DomainEvent): void;
  /** @returns a function that removes the handler. */
  subscribe(handler: EventHandler): () => void;
}

export class InMemoryEventBus implements EventBus {
  private readonly handlers = new Set<EventHandler>();

  constructor(private readonly onHandlerError: (error: unknown, event: DomainEvent) => void = () => {}) {}

  publish(event: DomainEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.onHandlerError(error, event);
      }
    }
  }

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
