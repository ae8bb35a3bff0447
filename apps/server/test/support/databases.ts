import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A database made for one test file, on one dialect. */
export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  /** A DATABASE_URL for it. */
  url: string;
  drop(): Promise<void>;
}

/**
 * The dialects every database test runs on: SQLite always, PostgreSQL too when
 * CIMORINGS_TEST_POSTGRES is set (to a server URL, or `1` for the local default). When it is
 * set but the server is unreachable, creating the database fails the tests: nothing is skipped.
 */
export const DIALECTS: ('sqlite' | 'postgres')[] = process.env.CIMORINGS_TEST_POSTGRES
  ? ['sqlite', 'postgres']
  : ['sqlite'];

/**
 * The dialects of tests where several nodes share Redis (REDIS_URL): PostgreSQL only, since a
 * SQLite database cannot be shared and REDIS_URL with one is refused at start. Empty without
 * CIMORINGS_TEST_POSTGRES: such suites are then not declared, never reported skipped.
 */
export const SHARED_DIALECTS: 'postgres'[] = DIALECTS.includes('postgres') ? ['postgres'] : [];

export function postgresServerUrl(): string {
  const value = process.env.CIMORINGS_TEST_POSTGRES ?? '';
  return /^postgres(ql)?:\/\//.test(value) ? value : 'postgres://root@127.0.0.1:5432/test';
}

/** Makes an empty database: a fresh SQLite file, or a fresh PostgreSQL database. */
export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cimorings-test-'));
    return {
      kind,
      url: `sqlite:${join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const serverUrl = postgresServerUrl();
  const name = `cimorings_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    drop: () =>
      withAdminClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)),
  };
}

async function withAdminClient(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
