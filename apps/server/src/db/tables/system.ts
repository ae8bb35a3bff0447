/** Settings, the OCPP message log and the command audit trail. */
import type { Generated } from 'kysely';
import type { IsoTime } from './columns.js';

export interface SettingsTable {
  key: string;
  value: string;
}

/** Every OCPP-J frame in and out. */
export interface OcppMessagesTable {
  id: Generated<number>;
  charge_point_id: string;
  /** `in` (from the charge point) or `out`. */
  direction: string;
  /** 2 CALL, 3 CALLRESULT, 4 CALLERROR (OCPP-J §4.1.3). */
  message_type: number;
  message_id: string;
  action: string | null;
  /** The frame's payload as JSON text. */
  payload: string;
  created_at: IsoTime;
}

/** The audit trail of commands sent to charge points. */
export interface CommandsTable {
  id: Generated<number>;
  charge_point_id: string;
  action: string;
  request: string;
  response: string | null;
  /** sent, answered, call_error, timeout or offline. */
  outcome: string;
  user_id: number | null;
  created_at: IsoTime;
  finished_at: IsoTime | null;
}
