import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rawUpgradeStatus } from '../support/raw-upgrade.js';
import { startServerProcess, waitUntilReady } from '../support/server-process.js';

/**
 * Issue 10, item 1, against the real process (where an unhandled rejection is not caught by
 * a test runner): one malformed upgrade request used to end it.
 */
describe('the server process under hostile upgrades', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cimorings-survive-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers 400 to /ocpp/%E0%A4%A, keeps running and keeps serving', async () => {
    const server = startServerProcess(dir, { ADMIN_PASSWORD: 'survive-admin-password' });
    const url = await server.url;
    try {
      await waitUntilReady(url);
      for (const path of ['/ocpp/%E0%A4%A', '/ocpp/%', '/ocpp/a%2Fb', '/ocpp/..']) {
        expect(await rawUpgradeStatus(url, path), path).toBe(400);
      }
      // Whatever the process would do with the failure happens within a few event-loop turns.
      await new Promise((r) => setTimeout(r, 300));
      expect(server.running()).toBe(true);
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      expect(await rawUpgradeStatus(url, '/ocpp/FINE-1')).toBe(101);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
