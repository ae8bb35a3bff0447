import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresProbe } from '../../src/db/postgres-probe.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.js';

/** A TCP relay to PostgreSQL whose answers the test can hold back: a server too busy to answer. */
class StallingRelay {
  private readonly server: Server;
  private readonly upstreams = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = connect(this.target);
      this.upstreams.add(upstream);
      for (const socket of [client, upstream]) socket.on('error', () => undefined);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => {
        this.upstreams.delete(upstream);
        client.destroy();
      });
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return (this.server.address() as { port: number }).port;
  }

  /** Stops (or resumes) passing PostgreSQL's answers on. */
  stall(stalled: boolean): void {
    for (const upstream of this.upstreams) {
      if (stalled) upstream.pause();
      else upstream.resume();
    }
  }

  async close(): Promise<void> {
    for (const upstream of this.upstreams) upstream.destroy();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

if (DIALECTS.includes('postgres')) {
  describe('the readiness probe of PostgreSQL', () => {
    let database: TestDatabase;
    let relay: StallingRelay;
    let url: string;
    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      const target = new URL(database.url);
      relay = new StallingRelay({ host: target.hostname, port: Number(target.port || 5432) });
      const port = await relay.listen();
      target.port = String(port);
      url = target.toString();
    });
    afterAll(async () => {
      await relay.close();
      await database.drop();
    });

    it('counts a server that answered lately and is slow now as busy, then as down past the grace', async () => {
      const probe = new PostgresProbe(url, 200, 1_500);
      try {
        await probe.check();
        relay.stall(true);
        // Slow but open, answered 0 s ago: busy, so ready; the query under way is shared.
        await probe.check();
        await probe.check();
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await expect(probe.check()).rejects.toThrow(/no answer within 200 ms/);
        relay.stall(false);
        // A fresh connection once the server answers again.
        await probe.check();
      } finally {
        relay.stall(false);
        await probe.close();
      }
    });

    it('fails at once when no connection can be made', async () => {
      const closed = new URL(database.url);
      closed.port = '1';
      const probe = new PostgresProbe(closed.toString(), 2_000, 15_000);
      const started = Date.now();
      await expect(probe.check()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1_000);
      await probe.close();
    });
  });
}
