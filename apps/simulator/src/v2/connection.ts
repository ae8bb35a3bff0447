import type { v201 } from '@cimorings/ocpp';
import { type ConnectionListener, type ConnectionSettings, RpcConnection } from '../ocpp/rpc-connection.js';
import type { ClientCertificate } from '../security.js';

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
export class V2Connection extends RpcConnection {
  constructor(settings: ConnectionSettings, protocol: V2Protocol, listener: ConnectionListener) {
    super(settings, `ocpp${protocol}`, listener);
  }

  /**
   * From the next connection on: the CSMS at `endpoint` (a network connection profile's
   * ocppCsmsUrl), presenting `client` as TLS client certificate (profile 3) or none, and the
   * password only with `basicAuth` (profiles 1 and 2).
   */
  useNetworkProfile(endpoint: string, client: ClientCertificate | null, basicAuth: boolean): void {
    const {
      cert: _cert,
      key: _key,
      ...wsOpts
    } = (this.clientOptions.wsOpts ?? {}) as Record<string, unknown>;
    this.basicAuth = basicAuth;
    this.reconfigure({
      endpoint,
      wsOpts: { ...wsOpts, ...client },
      password: basicAuth ? this.password : null,
    });
  }

  /** Sends a request and resolves with the CSMS's answer. */
  async call<A extends v201.Action>(action: A, request: v201.Request<A>): Promise<V2Response<A>> {
    return (await this.send(action, request)) as V2Response<A>;
  }

  /** Registers the handler for one action the CSMS may send. */
  handle<A extends v201.Action>(action: A, handler: V2Handler<A>): void {
    this.answer(action, (request) => handler(request as v201.Request<A>));
  }
}
