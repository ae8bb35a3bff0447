import ocppRpc from 'ocpp-rpc';
import { v201Schemas, v21Schemas } from '../../src/ocpp/validation.js';
import { ocppUrl, type TestChargePoint } from './ocpp-client.js';

type ClientOptions = ConstructorParameters<typeof ocppRpc.RPCClient>[0];
export type V2Protocol = 'ocpp2.0.1' | 'ocpp2.1';

/**
 * A bare OCPP 2.0.1 or 2.1 charging station for protocol tests. Strict mode is on by default
 * with the official schemas of its protocol (2.1's named the 2.1 way), so every message the
 * server sends it, and every answer, is checked; tests of bad requests turn it off. It answers
 * GetBaseReport Accepted, as a station does, unless `handlers` says otherwise.
 */
export async function connectStation2(
  httpUrl: string,
  identity: string,
  options: {
    protocol?: V2Protocol;
    protocols?: string[];
    password?: string;
    strictMode?: boolean;
    handlers?: Record<string, (params: unknown) => unknown>;
    tls?: { ca: string; cert?: string; key?: string };
  } = {},
): Promise<TestChargePoint> {
  const protocol = options.protocol ?? 'ocpp2.0.1';
  const settings = {
    endpoint: ocppUrl(httpUrl),
    identity,
    protocols: options.protocols ?? [protocol],
    strictMode: options.strictMode ?? true,
    strictModeValidators: [v201Schemas, v21Schemas],
    reconnect: false,
    ...(options.password !== undefined && { password: options.password }),
    ...(options.tls && { wsOpts: options.tls }),
  };
  const client = new ocppRpc.RPCClient(settings as unknown as ClientOptions);
  const handlers: Record<string, (params: unknown) => unknown> = {
    GetBaseReport: () => ({ status: 'Accepted' }),
    ...options.handlers,
  };
  for (const [action, handler] of Object.entries(handlers)) {
    client.handle(action, (call?: { params?: unknown }) => handler(call?.params) as never);
  }
  await client.connect();
  return client;
}

export const BOOT2 = {
  reason: 'PowerUp',
  chargingStation: { vendorName: 'Acme', model: 'Volt 2', serialNumber: 'S-2', firmwareVersion: '2.0.0' },
};

/** Connects and boots a 2.x station, answering the BootNotification status. */
export async function bootStation2(
  httpUrl: string,
  identity: string,
  options: Parameters<typeof connectStation2>[2] = {},
) {
  const client = await connectStation2(httpUrl, identity, options);
  const boot = (await client.call('BootNotification', BOOT2)) as { status: string; interval: number };
  return { client, boot };
}
