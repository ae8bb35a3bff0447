import ocppRpc from 'ocpp-rpc';
import WebSocket from 'ws';

export type TestChargePoint = InstanceType<typeof ocppRpc.RPCClient>;
type ClientOptions = ConstructorParameters<typeof ocppRpc.RPCClient>[0];

/** The ws:// URL of a test app's OCPP endpoint. */
export function ocppUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/ocpp`;
}

/**
 * A bare OCPP 1.6 client for protocol tests. Strict mode is on by default, so every answer
 * the server sends is checked against the official schema; tests of bad requests turn it off
 * to be able to send them.
 */
export async function connectChargePoint(
  httpUrl: string,
  identity: string,
  options: {
    password?: string;
    strictMode?: boolean;
    protocols?: string[];
    /** Over wss: the CA to trust and, for security profile 3, the client certificate and key. */
    tls?: { ca: string; cert?: string; key?: string };
  } = {},
): Promise<TestChargePoint> {
  const settings = {
    endpoint: ocppUrl(httpUrl),
    identity,
    protocols: options.protocols ?? ['ocpp1.6'],
    strictMode: options.strictMode ?? true,
    reconnect: false,
    ...(options.password !== undefined && { password: options.password }),
    ...(options.tls && { wsOpts: options.tls }),
  };
  // ocpp-rpc's typings mark every option required although each has a default.
  const client = new ocppRpc.RPCClient(settings as unknown as ClientOptions);
  await client.connect();
  return client;
}

export const BOOT = { chargePointVendor: 'Acme', chargePointModel: 'FastCharger 50' };

/** Connects and boots a charge point, answering the BootNotification status. */
export async function bootChargePoint(httpUrl: string, identity: string, options = {}) {
  const client = await connectChargePoint(httpUrl, identity, options);
  const boot = (await client.call('BootNotification', BOOT)) as { status: string; interval: number };
  return { client, boot };
}

/** What the server answers to an upgrade it refuses: the HTTP status, or 101 when it accepts. */
export function upgradeStatus(
  url: string,
  options: {
    protocols?: string[];
    headers?: Record<string, string>;
    /** Over wss: the CA to trust and a client certificate and key to present. */
    tls?: { ca: string; cert?: string; key?: string };
  } = {},
) {
  return new Promise<number>((resolve) => {
    const socket = new WebSocket(url, options.protocols ?? ['ocpp1.6'], {
      ...options.tls,
      headers: options.headers ?? {},
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => resolve(-1));
  });
}

/** Resolves once `socket` is open; rejects with its error when it cannot open. */
export function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
}

/** A raw WebSocket with the 1.6 subprotocol, to send frames no OCPP library would. */
export async function rawSocket(
  url: string,
): Promise<{ send(frame: string): Promise<unknown>; close(): void }> {
  const socket = new WebSocket(url, ['ocpp1.6']);
  await opened(socket);
  return {
    send: (frame) =>
      new Promise((resolve) => {
        socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString())));
        socket.send(frame);
      }),
    close: () => socket.close(),
  };
}

/** Polls until `check` holds, failing after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
