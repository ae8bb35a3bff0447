import type { ReservationService } from '../../services/reservation.service.js';
import type { TransactionEventService } from '../../services/transaction-event.service.js';
import type { TransactionService } from '../../services/transaction.service.js';
import type { HandlerTable } from '../handler-table.js';
import { checkSampleCount } from '../v16/limits.js';
import { v2Registrar } from './handlers.js';
import { idTokenInfoOf, readingsOf, transactionEventOf } from './mapping.js';

/** The services of a 2.x station's authorization, transactions, meter values and reservations. */
export interface V2TransactionServices {
  transactions: TransactionService;
  transactionEvents: TransactionEventService;
  reservations: ReservationService;
}

/**
 * Blocks C (authorization), E (transactions), H (reservation status) and J (meter values) of
 * OCPP 2.0.1, adapted to the services 1.6 uses (TransactionEvent to its own service over the
 * same transactions, since one message there is three in 1.6).
 */
export function registerV2TransactionHandlers(table: HandlerTable, services: V2TransactionServices): void {
  const { handle } = v2Registrar(table);
  const { transactionEvents } = services;

  handle('Authorize', async (p) => ({
    idTokenInfo: idTokenInfoOf(await transactionEvents.authorize(p.idToken.idToken)),
  }));

  handle('TransactionEvent', async (p, session) => {
    checkSampleCount('TransactionEvent', p.meterValue);
    const { idTokenInfo } = await transactionEvents.record(session, transactionEventOf(p));
    return idTokenInfo ? { idTokenInfo: idTokenInfoOf(idTokenInfo) } : {};
  });

  // J01: meter values outside a transaction (those of one come in TransactionEvent).
  handle('MeterValues', async (p, session) => {
    checkSampleCount('MeterValues', p.meterValue);
    await services.transactions.meterValues(session, {
      connectorId: p.evseId,
      readings: readingsOf(p.meterValue),
    });
    return {};
  });

  // H01/H04: a reservation that ended at the station (expired, or removed there).
  handle('ReservationStatusUpdate', async (p, session) => {
    await services.reservations.endedAtStation(
      session.chargePointId,
      p.reservationId,
      p.reservationUpdateStatus === 'Expired' ? 'expired' : 'removed',
    );
    return {};
  });
}
