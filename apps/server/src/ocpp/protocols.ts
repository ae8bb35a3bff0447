import type { OcppVersion } from '@cimorings/contracts';

/** The WebSocket subprotocols served on the OCPP endpoint, the newest first (CONTRACT section 7). */
export const SUBPROTOCOLS = ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'] as const;
export type Subprotocol = (typeof SUBPROTOCOLS)[number];

const VERSIONS: Record<Subprotocol, OcppVersion> = {
  'ocpp2.1': '2.1',
  'ocpp2.0.1': '2.0.1',
  'ocpp1.6': '1.6',
};

/** The newest subprotocol among those a charge point offers that we speak; undefined for none. */
export function pickSubprotocol(offered: ReadonlySet<string>): Subprotocol | undefined {
  return SUBPROTOCOLS.find((protocol) => offered.has(protocol));
}

/** The version a station object shows for a subprotocol. */
export function versionOf(subprotocol: Subprotocol): OcppVersion {
  return VERSIONS[subprotocol];
}

/** True for the subprotocols served by the OCPP 2.x adapter (2.1 as 2.0.1, with its own schemas). */
export function isOcpp2(version: OcppVersion): boolean {
  return version !== '1.6';
}
