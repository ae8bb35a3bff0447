import type { FastifyBaseLogger } from 'fastify';
import type { ClusterSeams } from '../cluster/index.js';
import type { Config } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { hideUrlPassword } from '../domain/ocpp-secrets.js';
import type { SetupResult } from '../services/setup.service.js';
import type { Infrastructure } from './infrastructure.js';
import type { Services } from './services.js';

export interface StartParts {
  config: Readonly<Config>;
  infrastructure: Infrastructure;
  cluster: ClusterSeams;
  services: Services;
  log: FastifyBaseLogger;
  /** Told the generated admin password, once, on the start that created the admin. */
  announceAdminPassword: ((password: string) => void) | undefined;
}

/**
 * Migrates and seeds the database, retried while it is unavailable (DatabaseLifecycle), then
 * starts what needs it. Resolves once done; rejects on a failure that retrying cannot mend.
 */
export function startDatabase(parts: StartParts): Promise<SetupResult> {
  const { config, infrastructure, cluster, services, log } = parts;
  const { database, lifecycle } = infrastructure;
  const ready = lifecycle.start(async () => {
    await cluster.whenReady().catch((error: unknown) => {
      throw new Error(
        `Redis is not reachable at ${hideUrlPassword(config.redisUrl ?? '')} (${(error as Error).message}): ` +
          'start it, or unset REDIS_URL to run one node alone',
        { cause: error },
      );
    });
    await migrateToLatest(database.db, database.dialect);
    const result = await services.setup.seed(config.adminPassword);
    services.tokens.useSecret(await services.setup.jwtSecret(config.jwtSecret));
    // One node alone knows that no station socket survived its restart; with several, others may hold some.
    if (!cluster.shared) await services.chargePoints.resetConnections();
    // Before any station is admitted here: this node is listed alive, and watches the others.
    await cluster.membership.start({
      lost: async (chargePointId) => {
        await services.chargePoints.lostWithItsNode(chargePointId);
        // It may have reconnected to a node between the check that no node holds it and this write.
        if ((await cluster.presence.nodeOf(chargePointId)) !== null) {
          await services.chargePoints.heldAfterAll(chargePointId);
        }
      },
      connected: () => services.chargePoints.connectedIds(),
    });
    services.ocppLog.startPruning();
    if (config.meterValuesRetentionDays > 0) services.meterValueRetention.start();
    return result;
  });
  ready.then(
    (result) => {
      log.info({ dialect: database.dialect, adminCreated: result.adminCreated }, 'database ready');
      if (result.generatedAdminPassword !== null) {
        parts.announceAdminPassword?.(result.generatedAdminPassword);
      }
    },
    (error: unknown) => log.error({ err: error }, 'database set-up failed'),
  );
  return ready;
}
