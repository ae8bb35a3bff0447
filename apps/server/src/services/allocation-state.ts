import type { SessionLimit } from '../domain/load-allocation.js';
import type { Allocation, SiteSession } from '../repositories/load.repository.js';

/** What a session whose station is not connected is counted at (its last limit); null when ours to share. */
export function heldKw(
  session: SiteSession,
  allocation: Allocation | undefined,
  maxKw: number,
): number | null {
  return session.stationConnected ? null : (allocation?.limitKw ?? maxKw);
}

/** The allocations `given`, those of `booted` sessions that were sent marked to be sent again. */
export function owedAgain(
  given: Map<number, Allocation>,
  booted: ReadonlySet<number>,
): Map<number, Allocation> {
  for (const id of booted) {
    const allocation = given.get(id);
    if (allocation?.state === 'sent') given.set(id, { ...allocation, state: 'pending' });
  }
  return given;
}

/** kW to three decimals, as the load is published. */
export const round = (kw: number) => Math.round(kw * 1000) / 1000;

/** Whether two allocations give the same limit in the same state. */
export function sameAllocation(a: Allocation, b: Allocation | undefined): boolean {
  return b !== undefined && a.limitKw === b.limitKw && a.paused === b.paused && a.state === b.state;
}

/** A limit on its way to a session's station. */
export function pendingOf(limit: SessionLimit): Allocation {
  return { transactionId: limit.key, limitKw: limit.limitKw, paused: limit.paused, state: 'pending' };
}

/** What a pass hands over: the allocations to keep, and whether it must run again soon. */
export interface Dispatch {
  allocations: Allocation[];
  /** Raises wait for lowering calls that just started: the site is to be shared again shortly. */
  again: boolean;
}

/** The site a pass sends for: its limit in force, its minimum, its stations' maxima, what to run after each answer. */
export interface SiteSend {
  limitKw: number;
  minKw: number;
  maxKw: (s: SiteSession) => number;
  answered: () => void;
}

export type Change = { session: SiteSession; limit: SessionLimit; before: Allocation | undefined };
