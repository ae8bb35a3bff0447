import type { ChargePointSession } from '../services/charge-point.service.js';
import type { ChargePointConnection } from './connection.js';

/** A handler of one CS→CSMS action: the station's session and the connection it came on are arguments. */
export type Handler = (
  params: unknown,
  session: ChargePointSession,
  connection: ChargePointConnection,
) => Promise<object> | object;

/**
 * The handlers of one OCPP version, built once and shared by every connection of that version:
 * a connection keeps a reference to its table, not a map and a closure per action (in a boot
 * storm of 20,000 stations those were about 1 KB of heap per idle station).
 */
export class HandlerTable {
  private readonly handlers = new Map<string, Handler>();
  /** The actions open before the station is accepted (`handleBeforeAcceptance`). */
  private readonly open = new Set<string>();

  /**
   * The handler of an action open only to a station whose registration is accepted (OCPP 1.6
   * §4.2; the gate is ChargePointConnection's).
   */
  handle<P>(
    action: string,
    handler: (
      params: P,
      session: ChargePointSession,
      connection: ChargePointConnection,
    ) => Promise<object> | object,
  ): void {
    this.handlers.set(action, handler as Handler);
  }

  /** The handler of an action open to every admitted charge point: BootNotification and Heartbeat only. */
  handleBeforeAcceptance<P>(
    action: string,
    handler: (params: P, connection: ChargePointConnection) => Promise<object> | object,
  ): void {
    this.open.add(action);
    this.handlers.set(action, (params, _session, connection) => handler(params as P, connection));
  }

  get actions(): Iterable<string> {
    return this.handlers.keys();
  }

  handlerOf(action: string): Handler | undefined {
    return this.handlers.get(action);
  }

  isOpen(action: string): boolean {
    return this.open.has(action);
  }
}

/**
 * Registers typed handlers in a table: `handle` once the station is accepted, `before` at any
 * time. `M` gives each action of one protocol its request and answer, as its official schemas say.
 */
export function registrar<M extends Record<keyof M, { request: unknown; response: object }>>(
  table: HandlerTable,
) {
  type Answer<A extends keyof M> = Promise<M[A]['response']> | M[A]['response'];
  return {
    handle: <A extends keyof M & string>(
      action: A,
      handler: (
        params: M[A]['request'],
        session: ChargePointSession,
        connection: ChargePointConnection,
      ) => Answer<A>,
    ) => table.handle(action, handler),
    before: <A extends keyof M & string>(
      action: A,
      handler: (params: M[A]['request'], connection: ChargePointConnection) => Answer<A>,
    ) => table.handleBeforeAcceptance(action, handler),
  };
}
