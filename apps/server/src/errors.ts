import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@cimorings/contracts';

/**
 * The one error type of the server. Services throw it with a code from the closed catalogue;
 * each transport translates it once (HTTP status here, OCPP CallError and Socket.IO ack later).
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/** Error codes of node and driver errors that mean the database cannot be reached right now. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** True when an error says the database is unreachable, not that a query was wrong. */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnreachable);
  // pg's Client connect timeout says "timeout expired"; pg-pool's, "Connection terminated due to
  // connection timeout". A wait for a busy pool's free connection is not unreachable (below).
  return /Connection terminated|^timeout expired$/i.test(error.message);
}

/** PostgreSQL has no connection slot left (too_many_connections): busy, not unreachable. */
const TOO_MANY_CONNECTIONS = '53300';

/**
 * True when a query waited for a busy pool's free connection longer than the pool lets it
 * (pg-pool's error, db/postgres-pool.ts), or PostgreSQL had no connection slot left: the
 * database answers, it is busy.
 */
export function isPoolWaitOver(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    (error as { code?: unknown }).code === TOO_MANY_CONNECTIONS ||
    error.message === 'timeout exceeded when trying to connect'
  );
}

/**
 * True when the database is locked by another writer for longer than the server waits (SQLite's
 * SQLITE_BUSY and SQLITE_LOCKED, with their extended codes): worth trying again shortly.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** True when the database failed (locked or unreachable), not the query: worth trying again later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return isDatabaseBusy(error) || isPoolWaitOver(error) || isDatabaseUnreachable(error);
}

/**
 * The `DATABASE_UNAVAILABLE` error that a driver error stands for (busy, or unreachable), so
 * that every transport answers it as a temporary condition (503) rather than an internal fault;
 * `undefined` for any other error.
 */
export function databaseUnavailable(error: unknown): AppError | undefined {
  if (isDatabaseBusy(error) || isPoolWaitOver(error)) {
    return new AppError('DATABASE_UNAVAILABLE', 'The database is busy: try again shortly', { retryAfter: 1 });
  }
  if (isDatabaseUnreachable(error))
    return new AppError('DATABASE_UNAVAILABLE', 'The database is not reachable');
  return undefined;
}
