import type { EventBus } from '../cluster/event-bus.js';
import type { LoadRepository } from '../repositories/load.repository.js';
import type { SiteRepository } from '../repositories/site.repository.js';

export interface LoadManagerSettings {
  /** How often every managed site is shared again (schedule boundaries, retries), ms; at most 5 s. */
  intervalMs: number;
  /** What a session drawing less than its share may draw beyond its measured power, kW. */
  headroomKw: number;
  /** A new limit within this of the one a session has is not sent, kW. */
  hysteresisKw: number;
}

/** What the load manager reads: the sites' sessions and allocations, and the sites. */
export interface LoadManagerStore {
  loads: LoadRepository;
  sites: SiteRepository;
}

/** The node the load manager runs on: its event bus (per node), its log, and whether it drives. */
export interface LoadManagerNode {
  events: EventBus;
  log: { warn(details: object, message: string): void };
  /** Whether this node drives load management (one node of several does). */
  drives: () => Promise<boolean>;
}

/**
 * A schedule window's lower limit is shared this long before the window starts, ms, so that
 * the stations have lowered by the time it begins (a higher one applies from its start).
 */
export const SCHEDULE_LEAD_MS = 10_000;
