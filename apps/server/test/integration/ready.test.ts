import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

/** A port that nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('a server whose PostgreSQL is unreachable', () => {
  let app: App;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: `postgres://root@127.0.0.1:${await closedPort()}/test`,
      LOG_LEVEL: 'silent',
    });
    app = await buildApp(config, { logger: pino({ level: 'silent' }) });
    url = await app.server.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.server.close();
  });

  it('is alive: /api/health answers 200', async () => {
    const response = await fetch(`${url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is not ready: /api/ready answers 503 with an error body', async () => {
    const response = await fetch(`${url}/api/ready`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('answers API calls that need the database with 503, not a crash', async () => {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'whatever-1' }),
    });
    expect(login.status).toBe(503);
    expect(((await login.json()) as { error: { code: string } }).error.code).toBe('DATABASE_UNAVAILABLE');
    const users = await fetch(`${url}/api/users`, { headers: { authorization: 'Bearer x.y.z' } });
    expect(users.status).toBe(503);
  });
});
