import { expect } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { TestChargePoint } from './ocpp-client.js';

// 1.6 stations with the security extension (OCPP 1.6 security whitepaper) in tests: what such a
// station sends, and the security profile the server keeps for it.

/**
 * Sends a SecurityEventNotification of `type` from `station`, stamped now (with `techInfo` when
 * given), expects its empty answer, and answers the timestamp it carried.
 */
export async function notifySecurityEvent(
  station: TestChargePoint,
  type: string,
  techInfo?: string,
): Promise<string> {
  const timestamp = new Date().toISOString();
  const notification = { type, timestamp, ...(techInfo !== undefined && { techInfo }) };
  expect(await station.call('SecurityEventNotification', notification)).toEqual({});
  return timestamp;
}

/**
 * The `firmware` of a SignedUpdateFirmware request (OCPP 1.6 security whitepaper): `file` on the
 * test firmware host, to fetch now, with `signature` (base64 of that text) and no certificate.
 */
export function signedFirmware(file: string, signature: string) {
  return {
    location: `https://firmware.example.test/${file}`,
    retrieveDateTime: new Date().toISOString(),
    signature: Buffer.from(signature).toString('base64'),
  };
}

/** A station's stored and pending security profile, as the database holds them. */
export function storedSecurityProfiles(handle: DatabaseHandle, chargePointId: string) {
  return handle.db
    .selectFrom('stations')
    .select(['security_profile', 'pending_security_profile'])
    .where('charge_point_id', '=', chargePointId)
    .executeTakeFirstOrThrow();
}
