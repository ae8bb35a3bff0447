import pg from 'pg';
import { within } from '../domain/deadline.js';

/** How long the probe's `select 1` (and its connection, when it needs one) may take, ms. */
export const PROBE_TIMEOUT_MS = 2_000;

/**
 * How long a probe connection that answered before may go on without an answer (its socket
 * open) and still count as busy rather than unreachable, ms.
 */
export const BUSY_GRACE_MS = 15_000;

/**
 * Whether PostgreSQL answers, asked on a connection of the probe's own, outside the pool.
 *
 * Through the pool, a `select 1` waits behind every query queued before it, and pg-pool gives
 * up on a queued request after its connection timeout: a node busy with a ramp of new stations
 * looked "not reachable" to its load balancer, which then took a healthy node out (issue 16).
 * The probe keeps one connection open (so it also answers when the server has no connection
 * slot left for a new one), sends its trivial query on it, and drops it after any failure: the
 * next check connects anew, so a restarted or moved server is found again. A server that is
 * merely slow to answer (a boot storm on two cores, issue 17) is busy, not down: while the
 * connection stays open and the server answered within BUSY_GRACE_MS, a slow check passes and
 * the query under way is waited for by the next check instead of another being queued.
 */
export class PostgresProbe {
  private connection: Promise<pg.Client> | undefined;
  /** The `select 1` under way, shared by the checks that come while it is. */
  private asking: Promise<unknown> | undefined;
  /** Epoch ms of the last answer on the current connection (0: none yet). */
  private answeredAt = 0;

  constructor(
    private readonly connectionString: string,
    private readonly timeoutMs = PROBE_TIMEOUT_MS,
    private readonly graceMs = BUSY_GRACE_MS,
  ) {}

  /** Resolves when the server answers within the timeout, or is busy (above); rejects otherwise. */
  async check(): Promise<void> {
    const connection = (this.connection ??= this.connect());
    const asking = (this.asking ??= this.ask(connection));
    let answered = false;
    try {
      await within(
        asking.then(() => (answered = true)),
        this.timeoutMs,
        'PostgreSQL',
      );
    } catch (error) {
      const busy = !answered && this.connection === connection && Date.now() - this.answeredAt < this.graceMs;
      if (busy) return;
      this.drop(connection);
      throw error;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.then((client) => client.end()).catch(() => undefined);
  }

  /** One `select 1` on `connection`; a failure drops the connection. */
  private ask(connection: Promise<pg.Client>): Promise<unknown> {
    const asking = connection
      .then((client) => client.query('select 1'))
      .then(
        () => {
          if (this.connection === connection) this.answeredAt = Date.now();
        },
        (error: unknown) => {
          this.drop(connection);
          throw error;
        },
      )
      .finally(() => {
        if (this.asking === asking) this.asking = undefined;
      });
    // A check that gave up on it already reported; a late failure is not unhandled.
    asking.catch(() => undefined);
    return asking;
  }

  private connect(): Promise<pg.Client> {
    this.answeredAt = 0;
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
    if (this.connection === connection) {
      this.connection = undefined;
      this.asking = undefined;
      this.answeredAt = 0;
    }
    void connection.then((client) => client.end()).catch(() => undefined);
  }
}
