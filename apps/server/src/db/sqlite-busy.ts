import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { isDatabaseBusy } from '../errors.js';

/**
 * How long SQLite itself waits for a lock another connection holds, in ms. better-sqlite3 is
 * synchronous: SQLite's own wait is spent on the event loop, with every charge point and request
 * stuck behind it. So it waits only briefly, and the rest of the waiting is done here, between
 * attempts, with the event loop free.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10;

/** How a query waits for a database that another writer has locked. */
export interface BusyRetry {
  /** The first pause between two attempts, ms; each next pause is twice as long... */
  firstDelayMs: number;
  /** ...up to this, ms. */
  maxDelayMs: number;
  /** How long after it was asked for a query (or a whole transaction) gives up, ms. */
  giveUpAfterMs: number;
}

/** As patient as the former 5 s busy timeout, without freezing the process meanwhile. */
export const DEFAULT_BUSY_RETRY: BusyRetry = { firstDelayMs: 5, maxDelayMs: 100, giveUpAfterMs: 5000 };

/**
 * Wraps a SQLite dialect so that every statement it runs (queries, the batch writer's inserts,
 * transactions) waits for a busy database asynchronously: on SQLITE_BUSY it is tried again after
 * a growing pause, until `giveUpAfterMs` after it was asked for, and then fails with the busy
 * error (answered as a CallError or a 503 by the transports).
 */
export function retryingWhenBusy(dialect: Dialect, retry: BusyRetry): Dialect {
  return {
    createDriver: () => new BusyRetryingDriver(dialect.createDriver(), retry),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

class BusyRetryingDriver implements Driver {
  private readonly inner = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    private readonly driver: Driver,
    private readonly retry: BusyRetry,
  ) {}

  init(): Promise<void> {
    return this.driver.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // The deadline counts from the request: time spent queued behind other queries counts too.
    const deadline = Date.now() + this.retry.giveUpAfterMs;
    const connection = await this.driver.acquireConnection();
    const retrying = new BusyRetryingConnection(connection, this.retry, deadline);
    this.inner.set(retrying, connection);
    return retrying;
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    // IMMEDIATE takes the write lock at once, while nothing has been read yet, so waiting for
    // it is safe; a deferred transaction that read first could not get the lock by waiting.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.rollbackTransaction(connection);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.driver.releaseConnection(this.inner.get(connection) ?? connection);
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}

class BusyRetryingConnection implements DatabaseConnection {
  constructor(
    private readonly connection: DatabaseConnection,
    private readonly retry: BusyRetry,
    private readonly deadline: number,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    for (let delay = this.retry.firstDelayMs; ; delay = Math.min(delay * 2, this.retry.maxDelayMs)) {
      try {
        return await this.connection.executeQuery<R>(query);
      } catch (error) {
        if (!isDatabaseBusy(error) || Date.now() + delay > this.deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Not retried: nothing streams on SQLite (a stream cannot be replayed once rows are out). */
  streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    return this.connection.streamQuery<R>(query, chunkSize);
  }
}
