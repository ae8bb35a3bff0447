import type { v16 } from '@cimorings/ocpp';
import ocppRpc, { RPCClient } from 'ocpp-rpc';
import type { RPC_ClientOptions } from 'ocpp-rpc/lib/client.js';
import { officialValidator } from '@cimorings/ocpp/schemas';

/**
 * Tells ocpp-rpc to send no answer at all. Taken from the default export because ocpp-rpc
 * spreads it into `module.exports`, which Node cannot see as a named export, and retyped
 * because its typings declare it as `{ NOREPLY: symbol }` while it is the symbol itself.
 */
export const NOREPLY = ocppRpc.NOREPLY as unknown as symbol;

/** How to reach the central system. */
export interface ConnectionSettings {
  /** WebSocket base URL, e.g. `ws://localhost:3000/ocpp`; the identity is appended as the last path segment. */
  endpoint: string;
  /** The charge point identity (`chargePointId`). */
  identity: string;
  /** How long a request waits for its confirmation, in milliseconds. */
  callTimeoutMs: number;
  /** WebSocket ping interval in milliseconds, 0 to send none; a missed pong drops the socket. */
  pingIntervalMs: number;
  /** Over wss://: the CA to trust, and the client certificate and key (security profile 3), PEM. */
  tls?: { ca?: string; cert?: string; key?: string };
}

/** What the connection reports to its owner. */
export interface ConnectionListener {
  onDisconnect(code: number, reason: string): void;
  onWarning(message: string): void;
}

/** Answers one request from the central system; the request was already checked against its schema. */
export type CommandHandler<A extends v16.CentralSystemAction> = (
  request: v16.Request<A>,
) => v16.Response<A> | Promise<v16.Response<A>>;

/**
 * A typed OCPP-J 1.6 connection over ocpp-rpc. ocpp-rpc's bundled typings are loose (`call`
 * returns `unknown`, handlers take `any`); this wrapper narrows them to the message types
 * generated from those same schemas (`@cimorings/ocpp`). The casts below are safe because `strictMode` validates every request and
 * confirmation against the official OCPP 1.6 schemas in both directions before it reaches us.
 *
 * Reconnecting is left to the owner (`reconnect: false`): ocpp-rpc only retries after a first
 * successful connection and cannot change the password between attempts, and a charge point
 * must boot again after every reconnect anyway.
 */
export class OcppConnection {
  private readonly client: RPCClient;
  private options: RPC_ClientOptions;
  private password: string | null = null;
  /**
   * While true, requests from the central system get no answer: OCPP 1.6 section 4.2 says a
   * charge point whose BootNotification was Rejected SHALL NOT respond to them.
   */
  silent = false;

  constructor(settings: ConnectionSettings, listener: ConnectionListener) {
    this.options = clientOptions(settings, 'ocpp1.6');
    this.client = listenedClient(this.options, listener);
  }

  /** Whether the WebSocket is open and calls can be made. */
  get isOpen(): boolean {
    return this.client.state === RPCClient.OPEN;
  }

  /**
   * Opens the WebSocket, sending `password` with HTTP Basic auth (OCPP 1.6 security profile 1).
   * Rejects when the upgrade fails (refused, 401, network error).
   */
  async open(password: string | undefined): Promise<void> {
    const next = password ?? null;
    if (next !== this.password) {
      this.password = next;
      this.options = { ...this.options, password: next };
      this.client.reconfigure(this.options);
    }
    await this.client.connect();
  }

  /** Presents this client certificate (chain) and key from the next connection on (security profile 3). */
  useClientCertificate(cert: string, key: string): void {
    this.options = { ...this.options, wsOpts: { ...this.options.wsOpts, cert, key } };
    this.client.reconfigure(this.options);
  }

  /** Closes the WebSocket cleanly (or aborts a connection attempt in progress). */
  async close(code = 1000, reason = ''): Promise<void> {
    await this.client.close({ code, reason });
  }

  /** Sends a request and resolves with the central system's confirmation. */
  async call<A extends v16.ChargePointAction>(action: A, request: v16.Request<A>): Promise<v16.Response<A>> {
    return (await this.client.call(action, request)) as v16.Response<A>;
  }

  /** Registers the handler for one action the central system may send. */
  handle<A extends v16.CentralSystemAction>(action: A, handler: CommandHandler<A>): void {
    this.client.handle(action, async ({ params }) => {
      if (this.silent) return NOREPLY as never;
      return handler(params as v16.Request<A>);
    });
  }
}

/**
 * The ocpp-rpc client options every simulated station uses, whatever its protocol: strict mode
 * on the official schemas of `protocol`, one call in flight at a time (OCPP-J "synchronicity"),
 * and no reconnecting by the library (see {@link OcppConnection}).
 */
export function clientOptions(settings: ConnectionSettings, protocol: string): RPC_ClientOptions {
  return {
    endpoint: settings.endpoint,
    identity: settings.identity,
    protocols: [protocol],
    strictMode: true,
    // ocpp-rpc 2.2's own 2.1 validator looks the schemas up by ids the 2.1 ones do not have.
    strictModeValidators: protocol === 'ocpp2.1' ? [officialValidator('ocpp2.1') as never] : [],
    password: null,
    callTimeoutMs: settings.callTimeoutMs,
    pingIntervalMs: settings.pingIntervalMs,
    deferPingsOnActivity: true,
    callConcurrency: 1,
    reconnect: false,
    maxReconnects: 0,
    backoff: { initialDelay: 1000, maxDelay: 10_000, factor: 2, randomisationFactor: 0.25 },
    respondWithDetailedErrors: false,
    maxBadMessages: Infinity,
    wsOpts: { ...settings.tls },
    headers: {},
  };
}

/** An ocpp-rpc client whose disconnects, schema violations and bad frames reach `listener`. */
export function listenedClient(options: RPC_ClientOptions, listener: ConnectionListener): RPCClient {
  const client = new RPCClient(options);
  client.on('disconnect', ({ code, reason }: { code: number; reason: string | Buffer }) =>
    listener.onDisconnect(code, String(reason)),
  );
  client.on('strictValidationFailure', ({ method, outbound, error }: ValidationFailure) =>
    listener.onWarning(`${outbound ? 'sent' : 'received'} invalid ${method}: ${error.message}`),
  );
  client.on('badMessage', ({ error }: { error: Error }) =>
    listener.onWarning(`bad message: ${error.message}`),
  );
  return client;
}

interface ValidationFailure {
  method: string;
  outbound: boolean;
  error: Error;
}
