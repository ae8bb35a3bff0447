import type { v16 } from '@cimorings/ocpp';
import { type ConnectionListener, type ConnectionSettings, RpcConnection } from './rpc-connection.js';

export { type ConnectionListener, type ConnectionSettings, NOREPLY } from './rpc-connection.js';

/** Answers one request from the central system; the request was already checked against its schema. */
export type CommandHandler<A extends v16.CentralSystemAction> = (
  request: v16.Request<A>,
) => v16.Response<A> | Promise<v16.Response<A>>;

/**
 * A typed OCPP-J 1.6 connection over ocpp-rpc. ocpp-rpc's bundled typings are loose (`call`
 * returns `unknown`, handlers take `any`); this wrapper narrows them to the message types
 * generated from those same schemas (`@cimorings/ocpp`). The casts below are safe because
 * `strictMode` validates every request and confirmation against the official OCPP 1.6 schemas in
 * both directions before it reaches us.
 */
export class OcppConnection extends RpcConnection {
  constructor(settings: ConnectionSettings, listener: ConnectionListener) {
    super(settings, 'ocpp1.6', listener);
  }

  /** Presents this client certificate (chain) and key from the next connection on (security profile 3). */
  useClientCertificate(cert: string, key: string): void {
    this.reconfigure({ wsOpts: { ...this.clientOptions.wsOpts, cert, key } });
  }

  /** Sends a request and resolves with the central system's confirmation. */
  async call<A extends v16.ChargePointAction>(action: A, request: v16.Request<A>): Promise<v16.Response<A>> {
    return (await this.send(action, request)) as v16.Response<A>;
  }

  /** Registers the handler for one action the central system may send. */
  handle<A extends v16.CentralSystemAction>(action: A, handler: CommandHandler<A>): void {
    this.answer(action, (request) => handler(request as v16.Request<A>));
  }
}
