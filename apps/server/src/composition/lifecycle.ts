import type { FastifyInstance } from 'fastify';
import type { ClusterSeams } from '../cluster/index.js';
import { within } from '../domain/deadline.js';
import { stopAccepting } from '../http/server.js';
import type { OcppServer } from '../ocpp/server.js';
import type { RealtimeServer } from '../realtime/io.js';
import type { Infrastructure } from './infrastructure.js';
import type { Repositories } from './repositories.js';
import type { Services } from './services.js';

/** What starts and stops with the server. */
export interface Running {
  infrastructure: Infrastructure;
  cluster: ClusterSeams;
  repositories: Repositories;
  services: Services;
  ocpp: OcppServer;
  realtime: RealtimeServer;
  /** Resolves once the database is migrated and seeded. */
  databaseReady: Promise<unknown>;
}

/**
 * The server's life: the background services start once it serves and the database is set up,
 * and stop, with the transports and the infrastructure, in order when it closes.
 */
export function addLifecycleHooks(server: FastifyInstance, running: Running): void {
  const { infrastructure, cluster, repositories, services, ocpp, realtime, databaseReady } = running;
  const { lifecycle } = infrastructure;
  // Once serving and the database is set up; not at build time, so that whoever subscribed to
  // the events after buildApp also hears of the reservations that expired while it was down.
  server.addHook('onReady', async () => {
    void databaseReady.then(
      () => {
        services.reservationExpiry.start();
        services.certificateRenewal.start();
        services.chargingProfiles.start();
        services.loadManager.start();
      },
      () => undefined,
    );
  });
  // Graceful stop (CONTRACT section 6): take no new connections (the load balancer sends them to
  // another node), close the stations' sockets once their answers are out, then this node's
  // dashboards (after the stations' last events), and wait for the rest to end.
  server.addHook('preClose', async () => {
    const ended = stopAccepting(server.server);
    await ocpp.close({ handOver: await otherNodesAlive(cluster) });
    await realtime.close();
    await ended;
  });
  server.addHook('onClose', async () => {
    lifecycle.stop();
    await databaseReady.catch(() => undefined);
    await services.reservationExpiry.stop();
    await services.meterValueRetention.stop();
    await services.certificateRenewal.stop();
    services.chargingProfiles.stop();
    await services.loadManager.stop();
    await services.ocppLog.close();
    await repositories.meterValues.flush();
    await repositories.transactionEvents.flush();
    await repositories.connectors.flush();
    await repositories.stations.flush();
    await cluster.close();
    await infrastructure.close();
  });
}

/**
 * Whether another node is alive to take this one's stations as it stops (false without Redis,
 * or when Redis does not answer within 2 s: then the stations are recorded disconnected here).
 */
async function otherNodesAlive(cluster: ClusterSeams): Promise<boolean> {
  if (!cluster.shared) return false;
  const nodes = await within(cluster.membership.nodes(), 2_000, 'Redis').catch(() => []);
  return nodes.some((node) => node.nodeId !== cluster.membership.nodeId);
}
