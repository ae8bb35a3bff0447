import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

/** A test app that `useTestApp` starts before a describe block's tests and stops after them. */
export interface UsedTestApp extends TestApp {
  /** The admin's token, logged in at start-up (unless `login: false`). */
  readonly admin: string;
  /** The database made for this block, dropped after its tests. */
  readonly database: TestDatabase;
}

export type UsedTestAppOptions = Omit<TestAppOptions, 'databaseUrl'> & {
  /** Whether to log in as admin at start-up (true by default); off where logins are counted. */
  login?: boolean;
};

/**
 * Gives a describe block a fresh database of `dialect`, made in `beforeAll` and dropped in
 * `afterAll`; its `url` can be read from `beforeAll` on.
 */
export function useTestDatabase(dialect: TestDatabase['kind']): TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database?.drop();
  });
  const made = (): TestDatabase => {
    if (!database) throw new Error('the test database is made in beforeAll: use it inside hooks and tests');
    return database;
  };
  return {
    kind: dialect,
    get url() {
      return made().url;
    },
    drop: () => made().drop(),
  };
}

/**
 * Gives a describe block a real server on a fresh database of `dialect`: made in `beforeAll`,
 * closed and dropped in `afterAll`. The answer stands for the app from `beforeAll` on; reading it
 * earlier throws. `options` may be a function, for settings made in an earlier hook.
 *
 * With CIMORINGS_TEST_POSTGRES set and the server unreachable, creating the database fails the
 * block's tests: nothing is skipped.
 */
export function useTestApp(
  dialect: TestDatabase['kind'],
  options: UsedTestAppOptions | (() => UsedTestAppOptions | Promise<UsedTestAppOptions>) = {},
): UsedTestApp {
  const database = useTestDatabase(dialect);
  let app: TestApp | undefined;
  let admin: string | undefined;

  beforeAll(async () => {
    const { login = true, ...settings } = typeof options === 'function' ? await options() : options;
    app = await startTestApp({ databaseUrl: database.url, ...settings });
    if (login) admin = (await app.login()).token;
  });
  afterAll(async () => {
    await app?.close();
  });

  const started = (): TestApp => {
    if (!app) throw new Error('the test app starts in beforeAll: use it inside hooks and tests');
    return app;
  };
  // A proxy rather than a copy, so that whatever a TestApp offers stays reachable here.
  return new Proxy({} as UsedTestApp, {
    get(_target, key) {
      if (key === 'admin') {
        if (admin === undefined)
          throw new Error('no admin token: this test app was started with login: false');
        return admin;
      }
      if (key === 'database') return database;
      const value: unknown = Reflect.get(started(), key);
      return typeof value === 'function' ? value.bind(app) : value;
    },
  });
}

/**
 * Runs `work` against a real server on a fresh database of `dialect`, for a test that needs an
 * app of its own; closes the app and drops the database afterwards, whatever `work` did.
 */
export async function withTestApp<T>(
  dialect: TestDatabase['kind'],
  options: Omit<TestAppOptions, 'databaseUrl'>,
  work: (app: TestApp, database: TestDatabase) => Promise<T>,
): Promise<T> {
  const database = await createTestDatabase(dialect);
  try {
    const app = await startTestApp({ databaseUrl: database.url, ...options });
    try {
      return await work(app, database);
    } finally {
      await app.close();
    }
  } finally {
    await database.drop();
  }
}

/**
 * What makes apps nodes of one cluster: the Redis of CIMORINGS_TEST_REDIS (a URL, or any other
 * value for the local default) and one JWT secret, so that a token of one node holds on another.
 */
export function clusterEnv(): { REDIS_URL: string; JWT_SECRET: string } {
  const url = process.env.CIMORINGS_TEST_REDIS ?? '';
  return {
    REDIS_URL: /^rediss?:\/\//.test(url) ? url : 'redis://127.0.0.1:6379',
    JWT_SECRET: randomBytes(32).toString('hex'),
  };
}

/** Runs `work` against two nodes sharing Redis and a fresh database of `dialect`. */
export async function withTwoNodes(
  dialect: TestDatabase['kind'],
  env: Record<string, string>,
  work: (nodeA: TestApp, nodeB: TestApp) => Promise<void>,
): Promise<void> {
  const shared = { ...clusterEnv(), ...env };
  await withTestApp(dialect, { env: shared }, async (nodeA, database) => {
    const nodeB = await startTestApp({ databaseUrl: database.url, env: shared });
    try {
      await work(nodeA, nodeB);
    } finally {
      await nodeB.close();
    }
  });
}
