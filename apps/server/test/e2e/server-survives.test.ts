import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rawUpgradeStatus } from '../support/raw-upgrade.js';

const SERVER_DIR = resolve(import.meta.dirname, '../..');
const TSX = resolve(SERVER_DIR, '../../node_modules/.bin/tsx');
const MAIN = resolve(SERVER_DIR, 'src/main.ts');

/**
 * Issue 10, item 1, against the real process (where an unhandled rejection is not caught by
 * a test runner): one malformed upgrade request used to end it.
 */
describe('the server process under hostile upgrades', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cimorings-survive-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers 400 to /ocpp/%E0%A4%A, keeps running and keeps serving', async () => {
    const child = spawn(TSX, [MAIN], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        ADMIN_PASSWORD: 'survive-admin-password',
      },
    });
    let output = '';
    let exitCode: number | null | undefined;
    child.on('exit', (code) => (exitCode = code));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) resolveUrl(match[1]);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', () => reject(new Error(`server exited before listening:\n${output}`)));
    });
    try {
      await waitUntilReady(url);
      for (const path of ['/ocpp/%E0%A4%A', '/ocpp/%', '/ocpp/a%2Fb', '/ocpp/..']) {
        expect(await rawUpgradeStatus(url, path), path).toBe(400);
      }
      // Whatever the process would do with the failure happens within a few event-loop turns.
      await new Promise((r) => setTimeout(r, 300));
      expect(exitCode).toBeUndefined();
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      expect(await rawUpgradeStatus(url, '/ocpp/FINE-1')).toBe(101);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (exitCode === undefined ? child.once('exit', r) : r(undefined)));
    }
  });
});

async function waitUntilReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${url}/api/ready`).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server never became ready');
}
