import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresServerUrl, type TestDatabase } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ocppUrl, upgradeStatus } from '../support/ocpp-client.js';
import { connectSocket } from '../support/realtime-client.js';

/**
 * A TCP relay between the app and PostgreSQL that the test can cut, the way a failover or a
 * network partition cuts it: open connections are dropped and new ones are closed at once.
 */
class CuttableRelay {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private cut = false;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      if (this.cut) return void client.destroy();
      const upstream = connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return (this.server.address() as { port: number }).port;
  }

  setCut(cut: boolean): void {
    this.cut = cut;
    if (cut) for (const socket of this.sockets) socket.destroy();
  }

  close(): Promise<void> {
    this.setCut(true);
    return new Promise((done) => this.server.close(() => done()));
  }
}

// Declared only where PostgreSQL is there to relay to, so that no test is ever reported skipped.
if (process.env.CIMORINGS_TEST_POSTGRES) {
  describe('a PostgreSQL that cannot be reached while clients connect', () => {
    let database: TestDatabase;
    let relay: CuttableRelay;
    let app: TestApp;
    let admin: string;

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      const target = new URL(postgresServerUrl());
      relay = new CuttableRelay({ host: target.hostname, port: Number(target.port || 5432) });
      const viaRelay = new URL(database.url);
      viaRelay.host = `127.0.0.1:${await relay.listen()}`;
      app = await startTestApp({ databaseUrl: viaRelay.toString() });
      admin = (await app.login()).token;
      const created = await app.request('POST', '/api/stations', {
        token: admin,
        body: { chargePointId: 'CUT-1', name: 'Cut', ocppPassword: 'cut-station-password' },
      });
      expect(created.status).toBe(201);
    });
    afterAll(async () => {
      await app?.close();
      await relay?.close();
      await database?.drop();
    });

    const basic = { authorization: `Basic ${Buffer.from('CUT-1:cut-station-password').toString('base64')}` };

    it('answers a charge point 503 (retry later), not 500, and a dashboard "Service Unavailable"', async () => {
      expect(await upgradeStatus(`${ocppUrl(app.url)}/CUT-1`, { headers: basic })).toBe(101);
      relay.setCut(true);
      try {
        expect(await upgradeStatus(`${ocppUrl(app.url)}/CUT-1`, { headers: basic })).toBe(503);
        await expect(connectSocket(app.url, admin)).rejects.toThrow('Service Unavailable');
        const rest = await app.request('GET', '/api/stations', { token: admin });
        expect(rest.status).toBe(503);
        expect(rest.body.error.code).toBe('DATABASE_UNAVAILABLE');
      } finally {
        relay.setCut(false);
      }
      // Once the database answers again, so does everything else.
      expect(await upgradeStatus(`${ocppUrl(app.url)}/CUT-1`, { headers: basic })).toBe(101);
      const socket = await connectSocket(app.url, admin);
      socket.disconnect();
    });
  });
}
