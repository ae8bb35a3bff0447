import type { ConnectorReport } from '../domain/station.js';
import type { ChargePointSession } from './charge-point-session.js';

/** A connector status a connection stored, and when (epoch ms). */
interface StoredStatus {
  status: string;
  errorCode: string;
  at: number;
}

/**
 * How long a status stored through the full way of recordStatus (which derives the station's
 * status again) is trusted to be the stored one when told again; then the full way runs again.
 */
const STATUS_RECHECK_MS = 60_000;

/**
 * The connector statuses each connection stored through the full way of
 * ChargePointService.recordStatus, with when (epoch ms): the same status told again soon after
 * takes the short way. Kept per session, so it goes with the connection.
 */
export class StoredStatuses {
  private readonly bySession = new WeakMap<ChargePointSession, Map<number, StoredStatus>>();

  /** Remembers `report` as stored for its connector when it arrived at `received`. */
  remember(session: ChargePointSession, report: ConnectorReport, received: Date): void {
    let stored = this.bySession.get(session);
    if (stored === undefined) {
      stored = new Map();
      this.bySession.set(session, stored);
    }
    stored.set(report.connectorId, {
      status: report.status,
      errorCode: report.errorCode,
      at: received.getTime(),
    });
  }

  /**
   * Whether `report` tells the status (and error code) remembered last for its connector, less
   * than STATUS_RECHECK_MS before `received`.
   */
  unchanged(session: ChargePointSession, report: ConnectorReport, received: Date): boolean {
    const last = this.bySession.get(session)?.get(report.connectorId);
    return (
      last?.status === report.status &&
      last.errorCode === report.errorCode &&
      received.getTime() - last.at < STATUS_RECHECK_MS
    );
  }
}
