import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { DatabaseLifecycle } from '../db/lifecycle.js';

/** What the server stands on: the database (with its start-up retries) and Redis when configured. */
export interface Infrastructure {
  database: DatabaseHandle;
  /** Migrations and seeding, retried while the database is unavailable. */
  lifecycle: DatabaseLifecycle;
  redis: Redis | null;
  /** Resolves when the database, and Redis when configured, answer; rejects otherwise. */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

export function openInfrastructure(config: Readonly<Config>, log: FastifyBaseLogger): Infrastructure {
  const database = openDatabase(config.database, (error) =>
    log.warn({ err: error }, 'database connection lost'),
  );
  const redis = config.redisUrl === null ? null : new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  redis?.on('error', (error) => log.warn({ err: error }, 'redis error'));
  const lifecycle = new DatabaseLifecycle(log);
  return {
    database,
    lifecycle,
    redis,
    checkReady: async () => {
      if (!lifecycle.isReady()) throw new Error('database not set up yet');
      await database.ping();
      if (redis) await redis.ping();
    },
    close: async () => {
      await database.close();
      await redis?.quit().catch(() => undefined);
    },
  };
}
