import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { isDatabaseUnreachable, isPoolWaitOver } from '../errors.js';

/** How long opening a new PostgreSQL connection may take before the attempt counts as failed. */
export const PG_CONNECT_TIMEOUT_MS = 3_000;

/** Connections a node keeps at most (plus the readiness probe's one): see README "PostgreSQL". */
export const PG_POOL_SIZE = 10;

export interface QueuingPoolOptions {
  connectionString: string;
  /** How long a query may wait for a busy pool's free connection, ms (a busy database). */
  waitMs: number;
  /** How long a new connection may take, ms (an unreachable database). */
  connectTimeoutMs?: number;
  max?: number;
  types?: pg.CustomTypesConfig;
}

/**
 * The pool Kysely's PostgresDialect uses, telling a busy database from an unreachable one.
 *
 * pg-pool has one `connectionTimeoutMillis` for both waiting in its queue for a free connection
 * and opening a new one: with 3 s, a ramp of booting stations that kept ten connections busy
 * failed admissions with "timeout exceeded when trying to connect" while PostgreSQL was merely
 * busy (issue 17). Here the queue waits `waitMs` (then a "busy" error), a new connection gets
 * `connectTimeoutMs` (pg's Client enforces it: its error reads "timeout expired", which the
 * server's error classification knows as unreachable), and when a new connection cannot be made
 * because the server is unreachable, every caller still queued is told so at once instead of
 * waiting its turn to fail the same way.
 */
export class QueuingPool implements PostgresPool {
  readonly pool: pg.Pool;
  private readonly waiting = new Set<(error: Error) => void>();

  constructor(options: QueuingPoolOptions) {
    const connectTimeoutMs = options.connectTimeoutMs ?? PG_CONNECT_TIMEOUT_MS;
    // pg-pool hands its own options to each Client: a Client of this class replaces the wait
    // with the connect timeout (and libpq's connect_timeout parameter with its seconds).
    class TimedClient extends pg.Client {
      constructor(config?: pg.ClientConfig) {
        super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
      }
    }
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? PG_POOL_SIZE,
      connectionTimeoutMillis: options.waitMs,
      Client: TimedClient,
      ...(options.types && { types: options.types }),
    });
  }

  /** What Kysely opens a control connection with, to cancel a query. */
  get Client(): PostgresPool['Client'] {
    return (this.pool as unknown as { Client: PostgresPool['Client'] }).Client;
  }

  get options(): object {
    return this.pool.options;
  }

  connect(): Promise<PostgresPoolClient> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        this.waiting.delete(fail);
        reject(error);
      };
      this.waiting.add(fail);
      this.pool.connect().then(
        (client) => {
          // A caller already told the database is unreachable no longer wants it.
          if (settled) return client.release();
          settled = true;
          this.waiting.delete(fail);
          resolve(client);
        },
        (error: Error) => {
          fail(error);
          if (isDatabaseUnreachable(error) && !isPoolWaitOver(error)) {
            for (const other of [...this.waiting]) other(error);
          }
        },
      );
    });
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
