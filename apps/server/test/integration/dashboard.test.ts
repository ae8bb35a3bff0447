import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, withTestApp } from '../support/use-test-app.js';

describe('serving the dashboard', () => {
  const root = mkdtempSync(join(tmpdir(), 'cimorings-web-'));

  // The built dashboard is in place before the app starts.
  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  });
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
  });
  const app = useTestApp('sqlite', { dashboardRoot: root, login: false });

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
    await withTestApp(
      'sqlite',
      {
        dashboardRoot: join(tmpdir(), 'no-such-dashboard'),
      },
      async (app) => {
        const response = await app.request('GET', '/');
        expect(response.status).toBe(200);
        expect(response.text).toContain('npm run build');
      },
    );
  });
});
