import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('serving the dashboard', () => {
  let database: TestDatabase;
  let app: TestApp;
  const root = mkdtempSync(join(tmpdir(), 'cimorings-web-'));

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    database = await createTestDatabase('sqlite');
    app = await startTestApp({ databaseUrl: database.url, dashboardRoot: root });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and for the dashboard routes', async () => {
    for (const path of ['/', '/stations/CS001', '/login']) {
      const response = await app.request('GET', path);
      expect(response.status, path).toBe(200);
      expect(response.text).toContain('<div id="app">');
    }
  });

  it('serves the built assets', async () => {
    const response = await app.request('GET', '/assets/app.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
  });

  it('keeps unknown API paths as JSON 404s', async () => {
    const response = await app.request('GET', '/api/unknown');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });
});

describe('before the dashboard is built', () => {
  it('says at / how to build it', async () => {
    const database = await createTestDatabase('sqlite');
    const app = await startTestApp({
      databaseUrl: database.url,
      dashboardRoot: join(tmpdir(), 'no-such-dashboard'),
    });
    try {
      const response = await app.request('GET', '/');
      expect(response.status).toBe(200);
      expect(response.text).toContain('npm run build');
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
