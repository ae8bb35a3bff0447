import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_DIR, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, DIALECTS, postgresServerUrl, type TestDatabase } from '../support/databases.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';

/** The real server process, as `npm start` runs it, on the given database. */
function startServer(databaseUrl: string) {
  return startServerProcess(SERVER_DIR, {
    DATABASE_URL: databaseUrl,
    ADMIN_PASSWORD: 'admin-password-1',
    OCPP_UNKNOWN_STATIONS: 'accept',
  });
}

/** Disturbs the database the way each dialect can be disturbed from outside. */
async function disturb(database: TestDatabase): Promise<void> {
  if (database.kind === 'sqlite') {
    // Another program holds the write lock for a second.
    const other = new SQLite(database.url.replace(/^sqlite:/, ''));
    other.exec('BEGIN IMMEDIATE');
    await new Promise((done) => setTimeout(done, 1000));
    other.exec('COMMIT');
    other.close();
    return;
  }
  // A failover: every connection of the server is reset, again and again.
  const name = new URL(database.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: postgresServerUrl() });
  await admin.connect();
  try {
    for (let round = 0; round < 10; round++) {
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      await new Promise((done) => setTimeout(done, 50));
    }
  } finally {
    await admin.end();
  }
}

describe.each(DIALECTS)('the server process on %s while its database is in trouble', (dialect) => {
  let database: TestDatabase;
  let server: ReturnType<typeof startServer>;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = startServer(database.url);
    url = await server.url;
    await eventually(async () => (await fetch(`${url}/api/ready`)).status === 200, 30_000);
  }, 60_000);
  afterAll(async () => {
    if (server?.running()) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await database?.drop();
  });

  it('stays up while stations talk, answers health checks, recovers, and stops cleanly', async () => {
    const stations: TestChargePoint[] = [];
    for (let i = 0; i < 3; i++) stations.push((await bootChargePoint(url, `CP-TROUBLE-${i}`)).client);
    let stopped = false;
    const answers = { ok: 0, callErrors: 0 };
    const traffic = stations.map(async (cp) => {
      while (!stopped) {
        try {
          await cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
          answers.ok++;
        } catch (error) {
          expect((error as { rpcErrorCode?: string }).rpcErrorCode).toBe('InternalError');
          answers.callErrors++;
        }
      }
    });
    const health = (async () => {
      while (!stopped) {
        expect((await fetch(`${url}/api/health`)).status).toBe(200);
        await new Promise((done) => setTimeout(done, 50));
      }
    })();
    await disturb(database);
    stopped = true;
    await Promise.all([...traffic, health]);

    expect(server.running()).toBe(true);
    expect(answers.ok).toBeGreaterThan(0);
    await eventually(async () => (await fetch(`${url}/api/ready`)).status === 200, 15_000);
    for (const cp of stations) expect(await cp.call('Heartbeat', {})).toHaveProperty('currentTime');
    await Promise.all(stations.map((cp) => cp.close()));

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 90_000);
});
