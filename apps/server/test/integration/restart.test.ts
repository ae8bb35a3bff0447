import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/use-test-app.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/connect.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { startTestApp } from '../support/test-app.js';

describe.each(DIALECTS)('restarts on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  it('keeps users and accepts tokens issued before a restart (generated secret)', async () => {
    const first = await startTestApp({ databaseUrl: database.url, env: { ADMIN_PASSWORD: '' } });
    expect(first.announcedPasswords).toHaveLength(1);
    const password = first.announcedPasswords[0] as string;
    const { token } = await first.login('admin', password);
    const created = await first.request('POST', '/api/users', {
      token,
      body: { username: 'keeper', password: 'keeper-pass-12', roles: ['viewer'], allowedStations: ['CS001'] },
    });
    expect(created.status).toBe(201);
    await first.close();

    const second = await startTestApp({ databaseUrl: database.url, env: { ADMIN_PASSWORD: '' } });
    try {
      expect(second.announcedPasswords).toEqual([]);
      const me = await second.request('GET', '/api/auth/me', { token });
      expect(me.status).toBe(200);
      expect(me.body.username).toBe('admin');
      const kept = await second.request('GET', `/api/users/${created.body.id}`, { token });
      expect(kept.body).toEqual(created.body);
      await second.login('keeper', 'keeper-pass-12');
      await second.login('admin', password);
    } finally {
      await second.close();
    }
  });

  it('does not reset the admin password when ADMIN_PASSWORD changes later', async () => {
    const third = await startTestApp({
      databaseUrl: database.url,
      env: { ADMIN_PASSWORD: 'another-password' },
    });
    try {
      const response = await third.request('POST', '/api/auth/login', {
        body: { username: 'admin', password: 'another-password' },
      });
      expect(response.status).toBe(401);
    } finally {
      await third.close();
    }
  });

  it('runs the migrations twice without harm', async () => {
    const handle = openDatabase(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      expect(await migrateToLatest(handle.db, handle.dialect)).toEqual([]);
      expect(await migrateToLatest(handle.db, handle.dialect)).toEqual([]);
      const users = await handle.db.selectFrom('users').select('username').orderBy('id').execute();
      expect(users.map((u) => u.username)).toEqual(['admin', 'keeper']);
    } finally {
      await handle.close();
    }
  });

  it('migrates an empty database once, then finds nothing to do', async () => {
    const fresh = await createTestDatabase(dialect);
    const handle = openDatabase(loadConfig({ DATABASE_URL: fresh.url }).database);
    try {
      expect(await migrateToLatest(handle.db, handle.dialect)).toEqual([
        '001_initial',
        '002_local_lists_and_operator_close',
        '003_ocpp_data_ranges',
        '004_id_tag_creator',
        '005_security_profiles',
        '006_meter_values_unique',
        '007_ocpp2',
        '008_id_tag_type',
        '009_station_certificates',
        '010_load_management',
        '011_meter_values_plain_key',
        '012_pending_security_profile',
        '013_transaction_tallies',
      ]);
      expect(await migrateToLatest(handle.db, handle.dialect)).toEqual([]);
    } finally {
      await handle.close();
      await fresh.drop();
    }
  });
});

describe.each(DIALECTS)('a configured JWT_SECRET on %s', (dialect) => {
  it('accepts tokens across restarts and refuses them when the secret changes', async () => {
    const database = await createTestDatabase(dialect);
    const secret = { JWT_SECRET: 'a'.repeat(40) };
    try {
      const first = await startTestApp({ databaseUrl: database.url, env: secret });
      const { token } = await first.login();
      await first.close();
      const second = await startTestApp({ databaseUrl: database.url, env: secret });
      expect((await second.request('GET', '/api/auth/me', { token })).status).toBe(200);
      await second.close();
      const third = await startTestApp({ databaseUrl: database.url, env: { JWT_SECRET: 'b'.repeat(40) } });
      expect((await third.request('GET', '/api/auth/me', { token })).status).toBe(401);
      await third.close();
    } finally {
      await database.drop();
    }
  });
});
