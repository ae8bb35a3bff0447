import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LISTEN_BACKLOG } from '../../src/http/server.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { freePort } from '../support/node-cluster.js';
import { startServerProcess } from '../support/server-process.js';

/** The backlog of the socket listening on `port`, as `ss` reads it. */
function listenBacklog(port: string): number {
  const line =
    execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' })
      .trim()
      .split('\n')[0] ?? '';
  return Number(line.trim().split(/\s+/)[2]);
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('the server process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cimorings-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on a fresh directory with no configuration, writes the admin password to a private file, and stops on SIGTERM', async () => {
    const first = startServerProcess(dir);
    const url = await first.url;
    // No terminal reads its stderr here: the password goes to a file only its owner may read.
    const file = join(dir, 'data', 'admin-password.txt');
    await waitFor(
      () => existsSync(file) && /password: (\S+)/.test(readFileSync(file, 'utf8')),
      'the password file',
    );
    const password = /password: (\S+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Neither stream carries it; the logs say where it is.
    await waitFor(() => first.output().includes('admin-password.txt'), 'the log line naming the file');
    expect(first.output()).not.toContain(password);
    expect((await fetch(`${url}/api/ready`)).status).toBe(200);
    // The kernel holds a boot storm's handshakes until the event loop accepts them (Send-Q of a
    // listening socket is its backlog; Linux caps it at net.core.somaxconn).
    const cap = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    expect(listenBacklog(new URL(url).port)).toBe(Math.min(LISTEN_BACKLOG, cap));

    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    // The password is kept for the operator, never written into the structured log lines.
    const logLines = first
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(password);
    expect(logLines.join('\n')).not.toContain(token);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // Second start on the same data: no new password, and the first run's token still works.
    const second = startServerProcess(dir);
    const secondUrl = await second.url;
    const me = await fetch(`${secondUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(second.output()).not.toContain('password:');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('refuses to start on bad configuration, naming each bad variable in one line, with exit code 1', async () => {
    const bad = startServerProcess(dir, { PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://nope' });
    expect(await bad.exited).toBe(1);
    const lines = bad.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: /);
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL']) expect(lines[0]).toContain(name);
  });

  // REDIS_URL needs PostgreSQL (with SQLite it is refused before Redis is tried).
  if (DIALECTS.includes('postgres')) {
    it('stops with one line naming Redis and its address when Redis is unreachable at start', async () => {
      const database = await createTestDatabase('postgres');
      try {
        const port = await freePort();
        const server = startServerProcess(dir, {
          DATABASE_URL: database.url,
          REDIS_URL: `redis://127.0.0.1:${port}`,
          JWT_SECRET: randomBytes(32).toString('hex'),
        });
        expect(await server.exited).toBe(1);
        expect(server.output()).toContain(
          `CIMORINGS cannot start: Redis is not reachable at redis://127.0.0.1:${port} (`,
        );
      } finally {
        await database.drop();
      }
    }, 120_000);
  }

  it('reads a .env file in its working directory', async () => {
    const withEnv = mkdtempSync(join(tmpdir(), 'cimorings-env-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(withEnv, '.env'), 'OCPP_UNKNOWN_STATIONS=sometimes\n');
    try {
      const bad = startServerProcess(withEnv);
      expect(await bad.exited).toBe(1);
      expect(bad.output()).toContain('OCPP_UNKNOWN_STATIONS');
    } finally {
      rmSync(withEnv, { recursive: true, force: true });
    }
  });
});
