/** A call to make to a station about one key (a session); it settles when its answer or timeout came. */
export type StationCall = () => Promise<void>;

/**
 * One queue per station, one call in flight at a time on each: a call waiting for its turn is
 * replaced by a newer one for the same key (the latest wanted wins) or dropped when no longer
 * wanted; a station that does not answer holds only its own queue, never another station's.
 */
export class StationCallQueue {
  /** Calls waiting for their station, by station then key, in order of arrival. */
  private readonly waiting = new Map<string, Map<number, StationCall>>();
  /** Stations with a call in flight. */
  private readonly busy = new Set<string>();

  /**
   * Queues `call` for `key` at `station`, replacing one still waiting for that key; true when it
   * started at once (the station had no call in flight).
   */
  put(station: string, key: number, call: StationCall): boolean {
    const calls = this.waiting.get(station) ?? new Map<number, StationCall>();
    calls.delete(key);
    calls.set(key, call);
    this.waiting.set(station, calls);
    return this.next(station);
  }

  /** Drops the call still waiting for `key` at `station`, if any (one in flight goes on). */
  drop(station: string, key: number): void {
    const calls = this.waiting.get(station);
    calls?.delete(key);
    if (calls?.size === 0) this.waiting.delete(station);
  }

  /** Whether a call for `key` waits for its turn at `station`. */
  waits(station: string, key: number): boolean {
    return this.waiting.get(station)?.has(key) ?? false;
  }

  /** Starts the station's next waiting call when none is in flight; true when one started. */
  private next(station: string): boolean {
    if (this.busy.has(station)) return false;
    const calls = this.waiting.get(station);
    const first = calls?.entries().next().value;
    if (!calls || !first) return false;
    const [key, call] = first;
    this.drop(station, key);
    this.busy.add(station);
    void call()
      .catch(() => undefined)
      .finally(() => {
        this.busy.delete(station);
        this.next(station);
      });
    return true;
  }
}
