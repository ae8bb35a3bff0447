import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { DatabaseLifecycle } from '../db/lifecycle.js';
import { within } from '../domain/deadline.js';
import { AppError } from '../errors.js';

/** How long Redis may take to answer the readiness PING, ms. */
const READY_TIMEOUT_MS = 2_000;

/** What the server stands on: the database (with its start-up retries) and Redis when configured. */
export interface Infrastructure {
  database: DatabaseHandle;
  /** Migrations and seeding, retried while the database is unavailable. */
  lifecycle: DatabaseLifecycle;
  redis: Redis | null;
  /**
   * Resolves when the database, and Redis when configured, answer; rejects with an AppError
   * naming which does not. Only reachability counts, never load: the database is asked on a
   * connection of its own (DatabaseHandle.ping), Redis within READY_TIMEOUT_MS.
   */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

export function openInfrastructure(config: Readonly<Config>, log: FastifyBaseLogger): Infrastructure {
  const database = openDatabase(
    config.database,
    (error) => log.warn({ err: error }, 'database connection lost'),
    config.ocppCallTimeoutMs,
  );
  const redis = config.redisUrl === null ? null : new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  redis?.on('error', (error) => log.warn({ err: error }, 'redis error'));
  const lifecycle = new DatabaseLifecycle(log);
  let lastProblem: string | null = null;
  return {
    database,
    lifecycle,
    redis,
    checkReady: async () => {
      if (!lifecycle.isReady()) throw new AppError('DATABASE_UNAVAILABLE', 'The database is not set up yet');
      const problems = await Promise.all([
        database.ping().then(
          () => null,
          (error: unknown) => ({
            error,
            refusal: new AppError('DATABASE_UNAVAILABLE', 'The database is not reachable'),
          }),
        ),
        redis === null
          ? null
          : within(redis.ping(), READY_TIMEOUT_MS, 'Redis').then(
              () => null,
              (error: unknown) => ({
                error,
                refusal: new AppError('SERVICE_UNAVAILABLE', 'Redis is not reachable'),
              }),
            ),
      ]);
      const problem = problems.find((found) => found !== null) ?? null;
      // Said once when it starts and once when it ends: a load balancer asks every few seconds.
      const now = problem?.refusal.message ?? null;
      if (now !== lastProblem) {
        if (now === null) log.info('ready again');
        else log.warn({ err: problem?.error }, `not ready: ${now}`);
        lastProblem = now;
      }
      if (problem) throw problem.refusal;
    },
    close: async () => {
      await database.close();
      await redis?.quit().catch(() => undefined);
    },
  };
}
