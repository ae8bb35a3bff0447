import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';
import { PostgresProbe } from './postgres-probe.js';
import { QueuingPool } from './postgres-pool.js';
import { DEFAULT_BUSY_RETRY, retryingWhenBusy, SQLITE_BUSY_TIMEOUT_MS } from './sqlite-busy.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

export type Dialect = DatabaseConfig['kind'];

/** An open database: the Kysely handle plus what the server needs to know about it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /**
   * Resolves when the database answers a trivial query; rejects otherwise. On PostgreSQL it is
   * asked on a connection of its own (PostgresProbe), never queued behind a busy pool.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How long a query waits for a busy pool's free connection unless told (OCPP_CALL_TIMEOUT_MS's default). */
const PG_POOL_WAIT_MS = 30_000;

/**
 * Opens the database named by the configuration. SQLite files (and their folder) are created
 * on first use, in WAL mode with foreign keys on; PostgreSQL connections are made lazily by a
 * pool, so an unreachable server fails queries, not this call. `poolWaitMs`: how long a query
 * may wait for a free PostgreSQL connection while all are busy (the server passes its OCPP call
 * timeout: an answer later than that finds no station waiting for it).
 */
export function openDatabase(
  config: DatabaseConfig,
  onPoolError: (error: Error) => void = () => {},
  poolWaitMs = PG_POOL_WAIT_MS,
): DatabaseHandle {
  if (config.kind === 'sqlite') return openSqlite(config.path, onPoolError);
  const queuing = new QueuingPool({
    connectionString: config.url,
    waitMs: poolWaitMs,
    types: { getTypeParser: typeParser },
  });
  const { pool } = queuing;
  // A client losing its server emits 'error'; unhandled, that ends the process. The pool listens
  // only while a client is idle, so every client gets its own listener for the time it is checked
  // out too. Its query in flight fails on its own (and turns into a CallError or a 503), and the
  // pool drops the dead client when it is released, so the next query opens a fresh connection.
  pool.on('connect', (client) => {
    client.on('error', onPoolError);
  });
  // The pool re-emits an idle client's error, already reported by the client's own listener.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: queuing }) });
  const probe = new PostgresProbe(config.url);
  return {
    db,
    dialect: 'postgres',
    ping: () => probe.check(),
    close: async () => {
      await probe.close();
      await db.destroy();
    },
  };
}

/** pg's type id of int8 (bigint). */
const INT8_OID = 20;

/**
 * pg's parsers, except that int8 reads back as a number, as SQLite's 64-bit integers do: ids
 * are bigint (migration 003) and what is stored in them is checked to be a safe integer.
 */
const typeParser = ((oid: number, format?: string) =>
  oid === INT8_OID && format !== 'binary'
    ? (value: string) => Number(value)
    : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser;

function openSqlite(path: string, onError: (error: Error) => void): DatabaseHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  // Waiting for another writer's lock happens between attempts, off the event loop (sqlite-busy.ts).
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // With WAL, NORMAL stays consistent across a crash and only risks the last commits on power loss.
  database.pragma('synchronous = NORMAL');
  const checkpointer =
    path === ':memory:'
      ? undefined
      : startWalCheckpointer(path, CHECKPOINT_INTERVAL_MS, (message) =>
          onError(new Error(`WAL checkpoint: ${message}`)),
        );
  if (checkpointer) database.pragma('wal_autocheckpoint = 0');
  const dialect = new SqliteDialect({ database: reusingStatements(database) });
  const db = new Kysely<Database>({ dialect: retryingWhenBusy(dialect, DEFAULT_BUSY_RETRY) });
  return {
    db,
    dialect: 'sqlite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/** How often the WAL is checkpointed into the database file, off the event loop. */
const CHECKPOINT_INTERVAL_MS = 1000;

/** Distinct SQL texts kept prepared; multi-row inserts of every batch size fit. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely's SQLite driver prepares every query anew, and preparing costs more than running a
 * small query: the statements are kept by SQL text (least recently used dropped first). A
 * statement still busy iterating (a streamed query) is not shared: a new one is prepared.
 */
function reusingStatements(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare: (text: string) => {
      const cached = statements.get(text);
      statements.delete(text);
      const statement = cached && !cached.busy ? cached : database.prepare(text);
      statements.set(text, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
      return statement;
    },
  };
}
