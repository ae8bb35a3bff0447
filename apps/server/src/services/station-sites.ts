import type { Clock } from '../domain/clock.js';
import type { LoadRepository } from '../repositories/load.repository.js';

/** How long a station's site, once read, answers the load manager's lookups. */
export const SITE_MEMORY_MS = 5_000;

/**
 * Each station's site as the database told it at most SITE_MEMORY_MS ago. Every meter value
 * asks which site to settle: one statement per MeterValues was the largest cost of ingest on
 * PostgreSQL (27,000 of the 45,000 statements of a quick ingest run). Only meter values use the
 * memory: a session's start or stop reads the site as it is (`fresh`), a boot takes the one its
 * write read back (`told`). A station placed at another site meanwhile is settled there by the
 * site's next pass (periodic, its limit changed, a session starting) on any node, which is why it
 * is a memory with an age and not a cache kept right by messages.
 */
export class StationSites {
  private readonly known = new Map<string, { siteId: number | null; readAt: number }>();
  /** The read under way of each station being read (the latest, when several are): `of` joins it. */
  private readonly reading = new Map<string, Promise<number | null>>();

  constructor(
    private readonly loads: Pick<LoadRepository, 'siteOf'>,
    private readonly clock: Clock,
  ) {}

  /**
   * The station's site, read again when the one known is older than SITE_MEMORY_MS; a read
   * already under way is joined, so that a station whose meter values come faster than its
   * site is read costs one read, not one each.
   */
  of(chargePointId: string): Promise<number | null> {
    const known = this.known.get(chargePointId);
    if (known !== undefined && this.clock.now().getTime() - known.readAt < SITE_MEMORY_MS) {
      return Promise.resolve(known.siteId);
    }
    return this.reading.get(chargePointId) ?? this.fresh(chargePointId);
  }

  /**
   * The station's site as stored now (a session started or stopped): a read of its own.
   * Remembered unless the station was forgotten (it disconnected), told, or read afresh again
   * while this read was under way.
   */
  fresh(chargePointId: string): Promise<number | null> {
    const readAt = this.clock.now().getTime();
    const lookup = this.loads.siteOf(chargePointId);
    this.reading.set(chargePointId, lookup);
    // Runs before the callers' own reactions (registered first); a failure is theirs to handle.
    const settled = (siteId?: number | null) => {
      if (this.reading.get(chargePointId) !== lookup) return;
      this.reading.delete(chargePointId);
      if (siteId !== undefined) this.known.set(chargePointId, { siteId, readAt });
    };
    lookup.then(settled, () => settled());
    return lookup;
  }

  /** The station's site as a write of its row just read it back: remembered as read now. */
  told(chargePointId: string, siteId: number | null): Promise<number | null> {
    this.reading.delete(chargePointId);
    this.known.set(chargePointId, { siteId, readAt: this.clock.now().getTime() });
    return Promise.resolve(siteId);
  }

  /** The station is gone from this node: nothing of it is kept. */
  forget(chargePointId: string): void {
    this.known.delete(chargePointId);
    this.reading.delete(chargePointId);
  }
}
