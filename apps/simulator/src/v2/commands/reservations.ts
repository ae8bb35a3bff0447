import type { v201 } from '@cimorings/ocpp';
import type { Evse } from '../evses.js';
import { afterAnswer, type V2CommandContext, type V2Register } from './types.js';

/**
 * Block C and D, authorization (ClearCache C11) and the local list (SendLocalList D01,
 * GetLocalListVersion D02), and block H, reservations (ReserveNow H01, CancelReservation H02; an
 * expired reservation is reported with ReservationStatusUpdate, H01.FR.19).
 */
export function registerAuthorizationAndReservations(on: V2Register, ctx: V2CommandContext): void {
  const { authorizer, bank, model, log } = ctx;
  on('ClearCache', () => ({ status: model.flag('AuthCacheCtrlr', 'Enabled') ? 'Accepted' : 'Rejected' }));
  on('SendLocalList', (request) => {
    if (!model.flag('LocalAuthListCtrlr', 'Enabled')) return { status: 'Failed' };
    const status = authorizer.localList.apply(request);
    model.update('LocalAuthListCtrlr', 'Entries', String(authorizer.localList.size));
    return { status };
  });
  on('GetLocalListVersion', () => ({ versionNumber: authorizer.localList.version }));
  on('ReserveNow', ({ id, expiryDateTime, idToken, evseId, groupIdToken }) => {
    if (!model.flag('ReservationCtrlr', 'Enabled')) return { status: 'Rejected' };
    const existing = bank.all().find((e) => e.reservation?.id === id);
    const evse =
      existing ??
      (evseId === undefined ? bank.all().find((e) => e.status === 'Available') : bank.get(evseId));
    if (!evse) return { status: evseId === undefined ? 'Occupied' : 'Rejected' };
    const refusal = refuse(evse, id);
    if (refusal) return { status: refusal };
    clearTimeout(evse.reservation?.timer);
    const delayMs = Math.max(0, Date.parse(expiryDateTime) - Date.now());
    const expiry = () =>
      expire(ctx, evse, id).catch((error: Error) => log('warn', `reservation ${id}: ${error.message}`));
    const timer = setTimeout(() => void expiry(), Math.min(delayMs, 2_147_483_647));
    evse.reservation = { id, idToken, evseId: evse.id, timer, ...(groupIdToken ? { groupIdToken } : {}) };
    afterAnswer(log, () => bank.refresh(evse));
    return { status: 'Accepted' };
  });
  on('CancelReservation', ({ reservationId }) => {
    const evse = bank.all().find((e) => e.reservation?.id === reservationId);
    if (!evse?.reservation) return { status: 'Rejected' };
    clearTimeout(evse.reservation.timer);
    evse.reservation = undefined;
    afterAnswer(log, () => bank.refresh(evse));
    return { status: 'Accepted' };
  });
}

/** Why `evse` cannot take reservation `id`, if it cannot (H01.FR.07 to FR.11). */
function refuse(evse: Evse, id: number): v201.ReserveNowStatusEnumType | undefined {
  switch (evse.status) {
    case 'Faulted':
      return 'Faulted';
    case 'Unavailable':
      return 'Unavailable';
    case 'Occupied':
      return 'Occupied';
    case 'Reserved':
      return evse.reservation?.id === id ? undefined : 'Occupied';
    default:
      return undefined;
  }
}

async function expire(ctx: V2CommandContext, evse: Evse, id: number): Promise<void> {
  if (evse.reservation?.id !== id) return;
  evse.reservation = undefined;
  await ctx.bank.refresh(evse);
  if (ctx.link.accepted)
    await ctx.link.call('ReservationStatusUpdate', { reservationId: id, reservationUpdateStatus: 'Expired' });
}
