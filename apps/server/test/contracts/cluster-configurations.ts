import { afterAll } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createClusterSeams, type ClusterSeams } from '../../src/cluster/index.js';
import type { StationConnection } from '../../src/cluster/station-presence.js';

/**
 * The seams as the server chooses them (createClusterSeams): one node in memory always, and
 * two nodes sharing Redis when CIMORINGS_TEST_REDIS is set. Each contract suite runs against
 * both, so that whatever the in-memory seams promise, the Redis ones keep across nodes.
 */
export interface Configuration {
  name: 'memory' | 'redis';
  /** A fresh cluster, every node ready to receive. */
  nodes(): Promise<Cluster>;
}

/** One node in memory (`here` is `elsewhere`), two with Redis. */
export interface Cluster {
  here: ClusterSeams;
  /** The last node: another one when there are several. */
  elsewhere: ClusterSeams;
  all: ClusterSeams[];
}

const log = pino({ level: 'silent' });
const opened: { seams: ClusterSeams[]; clients: Redis[] } = { seams: [], clients: [] };

afterAll(async () => {
  await Promise.all(opened.seams.map((seams) => seams.close()));
  await Promise.all(opened.clients.map((client) => client.quit()));
});

export const CONFIGURATIONS: Configuration[] = [
  {
    name: 'memory',
    nodes: async () => {
      const seams = createClusterSeams(null, log);
      opened.seams.push(seams);
      return { here: seams, elsewhere: seams, all: [seams] };
    },
  },
];

const redisUrl = process.env.CIMORINGS_TEST_REDIS;
if (redisUrl) {
  CONFIGURATIONS.push({
    name: 'redis',
    nodes: async () => {
      const clients: Redis[] = [];
      const node = () => {
        const client = new Redis(/^rediss?:\/\//.test(redisUrl) ? redisUrl : 'redis://127.0.0.1:6379', {
          maxRetriesPerRequest: 1,
        });
        const seams = createClusterSeams(client, log);
        clients.push(client);
        opened.clients.push(client);
        opened.seams.push(seams);
        return seams;
      };
      const here = node();
      const elsewhere = node();
      // Ready to receive (the node channel subscribed) and to send: the seams skip Redis while
      // their own connection is not ready yet (a loaded machine connects the two at different times).
      const connected = (client: Redis) =>
        client.status === 'ready' ? undefined : new Promise((resolve) => client.once('ready', resolve));
      await Promise.all([here.whenReady(), elsewhere.whenReady(), ...clients.map(connected)]);
      return { here, elsewhere, all: [here, elsewhere] };
    },
  });
}

/** A hand-written connection that answers what it is told to, and records its closing. */
export function fakeConnection(
  chargePointId: string,
  answer: (action: string, payload: unknown) => unknown = () => ({ status: 'Accepted' }),
): StationConnection & { closedWith: number | undefined } {
  const connection = {
    chargePointId,
    closedWith: undefined as number | undefined,
    call: async (action: string, payload: unknown) => answer(action, payload),
    close: async (code: number) => {
      connection.closedWith = code;
    },
  };
  return connection;
}

/** Waits until `check` holds (what another node learns arrives a moment later). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
