import type { ConnectorBank } from '../connectors.js';
import type { Register } from './types.js';

/** Handlers of the Reservation profile (OCPP 1.6 sections 5.1 and 5.13); the rules live in the bank. */
export function registerReservationCommands(register: Register, bank: ConnectorBank): void {
  register('ReserveNow', (request) => ({ status: bank.reserve(request) }));
  register('CancelReservation', ({ reservationId }) => ({
    status: bank.cancelReservation(reservationId) ? 'Accepted' : 'Rejected',
  }));
}
