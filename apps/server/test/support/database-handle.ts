import { loadConfig } from '../../src/config.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.js';
import { migrateTo } from '../../src/db/migrate.js';
import { createTestDatabase, SHARED_DIALECTS, type TestDatabase } from './databases.js';
import { startTwoNodes, type TestApp } from './test-app.js';

/** Opens a handle of the product's own to a test database, for a test that reads or writes rows directly. */
export function openHandle(database: Pick<TestDatabase, 'url'>): DatabaseHandle {
  return openDatabase(loadConfig({ DATABASE_URL: database.url }).database);
}

/** Stores an accepted, disconnected station directly, as a test's own row; answers its id. */
export async function insertStation(
  handle: DatabaseHandle,
  chargePointId: string,
  at: string,
): Promise<number> {
  const station = await handle.db
    .insertInto('stations')
    .values({
      charge_point_id: chargePointId,
      name: chargePointId,
      registration: 'accepted',
      status: 'Available',
      connected: 0,
      security_profile: 0,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return station.id;
}

/**
 * Every stored command and OCPP message row of `database` as one JSON text, for a test that
 * checks what the database itself keeps, not only what the API answers.
 */
export async function storedCommandsAndMessages(database: Pick<TestDatabase, 'url'>): Promise<string> {
  const handle = openHandle(database);
  try {
    return JSON.stringify([
      await handle.db.selectFrom('commands').selectAll().execute(),
      await handle.db.selectFrom('ocpp_messages').selectAll().execute(),
    ]);
  } finally {
    await handle.close();
  }
}

/**
 * Runs `work` on a handle to a fresh database of `dialect` migrated up to `migration` (included),
 * for a test of the migrations after it; closes the handle and drops the database afterwards.
 */
export async function withDatabaseAt<T>(
  dialect: TestDatabase['kind'],
  migration: string | undefined,
  work: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const database = await createTestDatabase(dialect);
  const handle = openHandle(database);
  try {
    await migrateTo(handle.db, handle.dialect, migration);
    return await work(handle);
  } finally {
    await handle.close();
    await database.drop();
  }
}

/** {@link withDatabaseAt} every migration: a test of repositories or services on the stored rows. */
export function withDatabase<T>(
  dialect: TestDatabase['kind'],
  work: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  return withDatabaseAt(dialect, undefined, work);
}

/**
 * The Redis two test nodes share: CIMORINGS_TEST_REDIS, when PostgreSQL is there too (REDIS_URL
 * needs PostgreSQL: SQLite with it is refused at start); undefined otherwise.
 */
export const TWO_NODE_REDIS =
  SHARED_DIALECTS.length > 0 ? process.env.CIMORINGS_TEST_REDIS || undefined : undefined;

/**
 * Runs `work` against two nodes sharing TWO_NODE_REDIS and a fresh PostgreSQL database, with a
 * handle to that database; closes the handle and both nodes and drops the database afterwards.
 */
export async function withTwoNodesAndHandle(
  work: (nodeA: TestApp, nodeB: TestApp, handle: DatabaseHandle) => Promise<void>,
): Promise<void> {
  const redisUrl = TWO_NODE_REDIS;
  if (redisUrl === undefined) throw new Error('two nodes need CIMORINGS_TEST_REDIS and PostgreSQL');
  const database = await createTestDatabase('postgres');
  const [nodeA, nodeB] = await startTwoNodes(database.url, redisUrl);
  const handle = openHandle(database);
  try {
    await work(nodeA, nodeB, handle);
  } finally {
    await handle.close();
    await nodeA.close();
    await nodeB.close();
    await database.drop();
  }
}
