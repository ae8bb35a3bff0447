import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { withDatabaseAt } from '../support/database-handle.js';

describe.each(DIALECTS)('migrations 007 and 008 on %s', (dialect) => {
  it('give the tags and deletions stored before the type of an RFID card, ISO14443', async () => {
    await withDatabaseAt(dialect, '006_meter_values_unique', async (handle) => {
      const now = '2026-01-01T00:00:00.000Z';
      await sql`insert into id_tags (id_tag, status, allow_concurrent, created_at, updated_at)
        values ('OLD-CARD', 'Accepted', 0, ${now}, ${now})`.execute(handle.db);
      await sql`insert into id_tag_deletions (id_tag, deleted_at) values ('GONE-CARD', ${now})`.execute(
        handle.db,
      );

      expect(await migrateToLatest(handle.db, handle.dialect)).toEqual(
        expect.arrayContaining(['007_ocpp2', '008_id_tag_type']),
      );
      expect(await handle.db.selectFrom('id_tags').select(['id_tag', 'type']).execute()).toEqual([
        { id_tag: 'OLD-CARD', type: 'ISO14443' },
      ]);
      expect(await handle.db.selectFrom('id_tag_deletions').select(['id_tag', 'type']).execute()).toEqual([
        { id_tag: 'GONE-CARD', type: 'ISO14443' },
      ]);
    });
  });
});

describe.each(DIALECTS)('the type of an id tag on %s', (dialect) => {
  const app = useTestApp(dialect);
  const tag = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) =>
    app.request(method, path, { token: app.admin, ...(body !== undefined && { body }) });

  it('is ISO14443 unless given, and may be any OCPP 2.0.1 IdTokenEnumType', async () => {
    expect((await tag('POST', '/api/id-tags', { idTag: 'CARD-A' })).body.type).toBe('ISO14443');
    const app1 = await tag('POST', '/api/id-tags', { idTag: 'APP-1', type: 'Central' });
    expect(app1.status, app1.text).toBe(201);
    expect(app1.body.type).toBe('Central');
    expect((await tag('PATCH', '/api/id-tags/CARD-A', { type: 'ISO15693' })).body.type).toBe('ISO15693');
    expect((await tag('GET', '/api/id-tags/CARD-A')).body.type).toBe('ISO15693');
    const list = await tag('GET', '/api/id-tags?limit=10');
    expect(list.body.items.map((t: { type: string }) => t.type)).toEqual(['Central', 'ISO15693']);
  });

  it('refuses a type OCPP 2.0.1 does not have with 400, changing nothing', async () => {
    for (const type of ['RFID', '', 'iso14443', 5, null, ['Central']]) {
      const created = await tag('POST', '/api/id-tags', { idTag: 'BAD-1', type });
      expect(created.status, JSON.stringify(type)).toBe(400);
      expect(created.body.error.code).toBe('VALIDATION_ERROR');
      expect((await tag('PATCH', '/api/id-tags/CARD-A', { type })).status).toBe(400);
    }
    expect((await tag('GET', '/api/id-tags/BAD-1')).status).toBe(404);
    expect((await tag('GET', '/api/id-tags/CARD-A')).body.type).toBe('ISO15693');
  });

  it('is kept when a CSV import changes the tag', async () => {
    const response = await app.request('POST', '/api/id-tags/import', {
      token: app.admin,
      headers: { 'content-type': 'text/csv' },
      body: 'idTag,status\nAPP-1,Blocked\n',
    });
    expect(response.status, response.text).toBe(200);
    expect((await tag('GET', '/api/id-tags/APP-1')).body).toMatchObject({
      status: 'Blocked',
      type: 'Central',
    });
  });
});
