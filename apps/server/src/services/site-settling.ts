/**
 * Events arriving together (a burst of meter values) are handled in one pass after this, ms.
 * Real time, not the clock's: it batches what the network brings.
 */
export const SETTLE_MS = 300;

/**
 * A new session is shared after this, ms: no longer than it takes its StartTransaction.conf to
 * reach the station before its first TxProfile (OCPP 1.6 §5.16.3: a TxProfile names a
 * transaction the station must know). Real time: it waits for the network.
 */
export const START_SETTLE_MS = 100;

/**
 * One pending pass per site, run once what arrived together has settled: a request for a
 * sooner pass brings the pending one forward, a later one joins it.
 */
export class SiteSettling {
  private readonly pending = new Map<number, { timeout: NodeJS.Timeout; due: number }>();

  constructor(private readonly run: (siteId: number) => void) {}

  /** Runs a pass for the site within `ms` (real time). */
  soon(siteId: number, ms = SETTLE_MS): void {
    const due = performance.now() + ms;
    const waiting = this.pending.get(siteId);
    if (waiting && waiting.due <= due) return;
    clearTimeout(waiting?.timeout);
    const timeout = setTimeout(() => {
      this.pending.delete(siteId);
      this.run(siteId);
    }, ms);
    timeout.unref();
    this.pending.set(siteId, { timeout, due });
  }

  /** Drops every pending pass. */
  clear(): void {
    for (const { timeout } of this.pending.values()) clearTimeout(timeout);
    this.pending.clear();
  }
}
