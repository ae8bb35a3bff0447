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

/**
 * The connection lifecycle every simulated station shares, whatever its OCPP version: an ocpp-rpc
 * client in strict mode (see {@link clientOptions}), opened with HTTP Basic auth when given a
 * password (security profile 1), closed cleanly or dropped, and silenced while Rejected. The
 * protocol's subclass adds the typed `call` and `handle`; strict mode validates every request and
 * answer against the official schemas in both directions, which makes their casts safe.
 *
 * Reconnecting is left to the owner (`reconnect: false`): ocpp-rpc only retries after a first
 * successful connection and cannot change the password between attempts, and a station must
 * boot again after every reconnect anyway.
 */
export abstract class RpcConnection {
  private readonly client: RPCClient;
  private options: RPC_ClientOptions;
  protected password: string | null = null;
  /** Whether the password goes with the connection (Basic auth): not at profiles 0 and 3. */
  protected basicAuth = true;
  /**
   * While true, requests from the central system get no answer: a station whose BootNotification
   * was Rejected SHALL NOT respond to them (OCPP 1.6 section 4.2; 2.0.1 B02.FR.06 / B03.FR.07).
   */
  silent = false;

  /** `subprotocol` is the WebSocket subprotocol offered, e.g. `ocpp1.6`. */
  constructor(settings: ConnectionSettings, subprotocol: string, listener: ConnectionListener) {
    this.options = clientOptions(settings, subprotocol);
    this.client = listenedClient(this.options, listener);
  }

  /** Whether the WebSocket is open and calls can be made. */
  get isOpen(): boolean {
    return this.client.state === RPCClient.OPEN;
  }

  /**
   * Opens the WebSocket, sending `password` with HTTP Basic auth (security profile 1) when given.
   * Rejects when the upgrade fails (refused, 401, network error).
   */
  async open(password: string | undefined): Promise<void> {
    const next = this.basicAuth ? (password ?? null) : null;
    if (next !== this.password) {
      this.password = next;
      this.reconfigure({ password: next });
    }
    await this.client.connect();
  }

  /** Closes the WebSocket cleanly (or aborts a connection attempt in progress). */
  async close(code = 1000, reason = ''): Promise<void> {
    await this.client.close({ code, reason });
  }

  /** Drops the socket without a closing handshake, as a lost network does. */
  async drop(): Promise<void> {
    await this.client.close({ code: 1006, force: true });
  }

  /** Changes the client options from the next connection on. */
  protected reconfigure(change: Partial<RPC_ClientOptions>): void {
    this.options = { ...this.options, ...change };
    this.client.reconfigure(this.options);
  }

  /** The options the next connection uses. */
  protected get clientOptions(): RPC_ClientOptions {
    return this.options;
  }

  /** Sends a request and resolves with the answer, as ocpp-rpc's loose typings give it. */
  protected send(action: string, request: unknown): Promise<unknown> {
    return this.client.call(action, request);
  }

  /** Registers the answer to one action; while {@link silent}, no answer is sent. */
  protected answer(action: string, handler: (request: unknown) => unknown): void {
    this.client.handle(action, async ({ params }) => {
      if (this.silent) return NOREPLY as never;
      return (await handler(params)) as Record<string, unknown>;
    });
  }
}

/**
 * The ocpp-rpc client options every simulated station uses, whatever its protocol: strict mode
 * on the official schemas of `protocol`, one call in flight at a time (OCPP-J "synchronicity"),
 * and no reconnecting by the library (see {@link RpcConnection}).
 */
function clientOptions(settings: ConnectionSettings, protocol: string): RPC_ClientOptions {
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
function listenedClient(options: RPC_ClientOptions, listener: ConnectionListener): RPCClient {
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
