import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { LocalCommandRouter, type CommandRouter } from './command-router.js';
import { InMemoryEventBus, type EventBus } from './event-bus.js';
import { MemoryLoginThrottle, type LoginThrottle } from './login-throttle.js';
import { NodeChannel } from './node-channel.js';
import { InMemoryNodeMembership, type NodeMembership } from './node-membership.js';
import { RedisNodeMembership } from './redis-node-membership.js';
import { RedisCommandRouter } from './redis-command-router.js';
import { RedisLoginThrottle } from './redis-login-throttle.js';
import { RedisRecentAnswers } from './redis-recent-answers.js';
import { MemoryRecentAnswers, type RecentAnswers } from '../ocpp/recent-answers.js';
import { RedisStationPresence } from './redis-station-presence.js';
import { InMemoryStationPresence, type StationPresence } from './station-presence.js';

/** The seams between one node and many, chosen together. */
export interface ClusterSeams {
  /** Whether other nodes may share the database and Redis (REDIS_URL is set). */
  readonly shared: boolean;
  readonly events: EventBus;
  readonly presence: StationPresence;
  readonly router: CommandRouter;
  /** Password guesses, counted where every node sees them. */
  readonly throttle: LoginThrottle;
  /** The answers given to stations by message id, where every node finds them. */
  readonly recentAnswers: RecentAnswers;
  /** The nodes alive now; finds dead ones and hands over their stations. */
  readonly membership: NodeMembership;
  /** Resolves once this node receives what the other nodes send it. */
  whenReady(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * One node (`redis` null): everything in memory. Several nodes sharing Redis: stations are
 * found, commands delivered and password guesses counted through it; domain events stay on
 * their node (see EventBus).
 */
export function createClusterSeams(
  redis: Redis | null,
  log: FastifyBaseLogger,
  nodeId: string = randomUUID(),
): ClusterSeams {
  const events = new InMemoryEventBus((error, event) =>
    log.error({ err: error, event: event.type }, 'event listener failed'),
  );
  if (redis === null) {
    const presence = new InMemoryStationPresence();
    const throttle = new MemoryLoginThrottle();
    return {
      shared: false,
      events,
      presence,
      router: new LocalCommandRouter(presence),
      throttle,
      recentAnswers: new MemoryRecentAnswers(),
      membership: new InMemoryNodeMembership(nodeId, presence),
      whenReady: () => Promise.resolve(),
      close: () => throttle.close(),
    };
  }
  const clusterError = (error: unknown) => log.warn({ err: error }, 'cluster coordination failed');
  const channel = new NodeChannel(nodeId, redis, clusterError);
  const presence = new RedisStationPresence(redis, channel, clusterError);
  const router = new RedisCommandRouter(presence, channel);
  const throttle = new RedisLoginThrottle(redis);
  const membership = new RedisNodeMembership(nodeId, redis, presence, log);
  return {
    shared: true,
    events,
    presence,
    router,
    throttle,
    recentAnswers: new RedisRecentAnswers(redis, clusterError),
    membership,
    whenReady: () => channel.whenReady(),
    close: async () => {
      await membership.close();
      router.close();
      await presence.close();
      await channel.close();
      await throttle.close();
    },
  };
}
