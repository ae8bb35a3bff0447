import type { NotificationKind } from '../domain/station.js';
import type { ChargePointService, ChargePointSession } from '../services/charge-point.service.js';

/**
 * The handler of a status notification, alike in every protocol (OCPP 1.6 §4.4 and §4.5, the
 * security whitepaper's log and signed firmware ones, 2.0.1 L01 and N01): the status is kept as
 * the station's `kind` status, and the answer is empty.
 */
export function keepsStatus(chargePoints: ChargePointService, kind: NotificationKind) {
  return async (params: { status: string }, session: ChargePointSession): Promise<Record<string, never>> => {
    await chargePoints.recordNotification(session, kind, params.status);
    return {};
  };
}
