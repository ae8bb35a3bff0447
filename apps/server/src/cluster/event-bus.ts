import type { DomainEvent } from '../domain/events.js';

export type EventHandler = (event: DomainEvent) => void;

/**
 * Domain events from the services to whoever listens (the real-time API). Publishing never
 * waits on listeners and a failing listener never reaches the publisher. In memory for one
 * node; a Redis implementation carries events between nodes.
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
