import type { v16 } from '@cimorings/ocpp';

/** Why a session did not start. */
export type StartRefusal =
  | 'NotRegistered'
  | 'UnknownConnector'
  | 'Unavailable'
  | 'Faulted'
  | 'Occupied'
  | 'Reserved'
  | 'NotAuthorized'
  | 'DeAuthorized';

/** The outcome of `SessionManager.start`. */
export type StartSessionResult =
  | { started: true; connectorId: number; transactionId: number }
  | {
      started: false;
      connectorId: number;
      reason: StartRefusal;
      idTagInfo?: v16.IdTagInfo;
      transactionId?: number;
    };

/** Options of a session start. */
export interface StartSessionOptions {
  /** Sent in StartTransaction; a reservation held on the connector for this id tag is used anyway. */
  reservationId?: number;
  /** Send Authorize first. Default true; remote starts follow AuthorizeRemoteTxRequests. */
  authorize?: boolean;
}

/** The outcome of `SessionManager.stop`. */
export interface StopSessionResult {
  transactionId: number;
  /** Energy register at the end, Wh. */
  meterStop: number;
  /** False while the StopTransaction waits for the connection to come back. */
  delivered: boolean;
}
