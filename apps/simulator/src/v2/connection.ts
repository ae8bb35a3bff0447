import type { v201 } from '@cimorings/ocpp';
import { RPCClient } from 'ocpp-rpc';
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client.js';
import {
  type ConnectionListener,
  type ConnectionSettings,
  clientOptions,
  listenedClient,
  NOREPLY,
} from '../ocpp/connection.js';

/** The OCPP 2.x versions the simulator speaks; a 2.1 station sends the 2.0.1 messages it shares. */
export type V2Protocol = '2.0.1' | '2.1';

/**
 * The answer to a 2.0.1 action. Every 2.0.1 action has one, so this indexes the action map
 * directly; `v201.Response`'s conditional type would make TypeScript widen the literal statuses
 * the handlers return.
 */
export type V2Response<A extends v201.Action> = v201.Actions[A]['response'];

/** Answers one request from the CSMS; the request was already checked against its schema. */
export type V2Handler<A extends v201.Action> = (
  request: v201.Request<A>,
) => V2Response<A> | Promise<V2Response<A>>;

/**
 * A typed OCPP-J 2.0.1 / 2.1 connection over ocpp-rpc in strict mode: every request and answer
 * is checked against the official schemas of the negotiated version in both directions, so the
 * casts from ocpp-rpc's loose typings to the generated message types are safe. The messages the
 * simulator sends are typed on 2.0.1; OCPP 2.1 is backward-compatible for them, and strict mode
 * checks them against the 2.1 schemas on a 2.1 connection.
 */
export class V2Connection {
  private readonly client: RPCClient;
  private options: RPC_ClientOptions;
  private password: string | null = null;
  /** Whether the password goes with the connection (Basic auth): not at profiles 0 and 3. */
  private basicAuth = true;
  /**
   * While true, requests from the CSMS get no answer: a station whose BootNotification was
   * Rejected does not answer them (OCPP 2.0.1 B02.FR.06 / B03.FR.07).
   */
  silent = false;

  constructor(settings: ConnectionSettings, protocol: V2Protocol, listener: ConnectionListener) {
    this.options = clientOptions(settings, `ocpp${protocol}`);
    this.client = listenedClient(this.options, listener);
  }

  /** Whether the WebSocket is open and calls can be made. */
  get isOpen(): boolean {
    return this.client.state === RPCClient.OPEN;
  }

  /** Opens the WebSocket with HTTP Basic auth when `password` is given (security profile 1). */
  async open(password: string | undefined): Promise<void> {
    const next = this.basicAuth ? (password ?? null) : null;
    if (next !== this.password) {
      this.password = next;
      this.client.reconfigure({ ...this.options, password: next });
    }
    await this.client.connect();
  }

  /**
   * From the next connection on: the CSMS at `endpoint` (a network connection profile's
   * ocppCsmsUrl), presenting `client` as TLS client certificate (profile 3) or none, and the
   * password only with `basicAuth` (profiles 1 and 2).
   */
  useNetworkProfile(
    endpoint: string,
    client: { cert: string; key: string } | null,
    basicAuth: boolean,
  ): void {
    const { cert: _cert, key: _key, ...wsOpts } = (this.options.wsOpts ?? {}) as Record<string, unknown>;
    this.options = { ...this.options, endpoint, wsOpts: { ...wsOpts, ...client } };
    this.basicAuth = basicAuth;
    this.client.reconfigure({ ...this.options, password: basicAuth ? this.password : null });
  }

  /** Closes the WebSocket cleanly (or aborts a connection attempt in progress). */
  async close(code = 1000, reason = ''): Promise<void> {
    await this.client.close({ code, reason });
  }

  /** Drops the socket without a closing handshake, as a lost network does. */
  async drop(): Promise<void> {
    await this.client.close({ code: 1006, force: true });
  }

  /** Sends a request and resolves with the CSMS's answer. */
  async call<A extends v201.Action>(action: A, request: v201.Request<A>): Promise<V2Response<A>> {
    return (await this.client.call(action, request)) as V2Response<A>;
  }

  /** Registers the handler for one action the CSMS may send. */
  handle<A extends v201.Action>(action: A, handler: V2Handler<A>): void {
    this.client.handle(action, async ({ params }) => {
      if (this.silent) return NOREPLY as never;
      return (await handler(params as v201.Request<A>)) as Record<string, unknown>;
    });
  }
}
