import pg from 'pg';
import { within } from '../domain/deadline.js';

/** How long the probe's `select 1` (and its connection, when it needs one) may take, ms. */
export const PROBE_TIMEOUT_MS = 2_000;

/**
 * Whether PostgreSQL answers, asked on a connection of the probe's own, outside the pool.
 *
 * Through the pool, a `select 1` waits behind every query queued before it, and pg-pool gives
 * up on a queued request after its connection timeout: a node busy with a ramp of new stations
 * looked "not reachable" to its load balancer, which then took a healthy node out (issue 16).
 * The probe keeps one connection open (so it also answers when the server has no connection
 * slot left for a new one), sends its trivial query on it, and drops it after any failure: the
 * next check connects anew, so a restarted or moved server is found again.
 */
export class PostgresProbe {
  private connection: Promise<pg.Client> | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly timeoutMs = PROBE_TIMEOUT_MS,
  ) {}

  /** Resolves when the server answers within the timeout; rejects otherwise. */
  async check(): Promise<void> {
    const connection = (this.connection ??= this.connect());
    try {
      await within(
        connection.then((client) => client.query('select 1')),
        this.timeoutMs,
        'PostgreSQL',
      );
    } catch (error) {
      this.drop(connection);
      throw error;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.then((client) => client.end()).catch(() => undefined);
  }

  private connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: this.timeoutMs,
      application_name: 'cimorings readiness',
    });
    const connection = client.connect().then(() => client);
    // A server that goes away emits 'error' on the idle client: the next check connects anew.
    client.on('error', () => this.drop(connection));
    return connection;
  }

  /** Forgets the connection (if still the current one) and ends it. */
  private drop(connection: Promise<pg.Client>): void {
    if (this.connection === connection) this.connection = undefined;
    void connection.then((client) => client.end()).catch(() => undefined);
  }
}
