import { profileStatusOf, sessionLimitProfile, type ProfileStatus } from '../domain/charging-profile.js';
import type { SessionLimit } from '../domain/load-allocation.js';
import type { Clock } from '../domain/clock.js';
import { AppError } from '../errors.js';
import type { Allocation, SiteSession } from '../repositories/load.repository.js';
import { type Change, type Dispatch, pendingOf, type SiteSend } from './allocation-state.js';
import type { CommandService } from './command.service.js';
import { StationCallQueue } from './station-call-queue.js';

/**
 * A station that refused a profile may be asked again (at its maximum, when everything fits so)
 * after this, ms; meanwhile its session counts at that maximum.
 */
const REFUSED_RETRY_MS = 3000;
/** A station that left a profile unanswered is asked again after this, ms; meanwhile its session counts at what it may still hold. */
const UNANSWERED_RETRY_MS = 5000;

/**
 * Gives charging sessions the limits the load manager computed, as TxProfiles sent through the
 * command path in each station's protocol (audited as sent by the system), without holding the
 * pass: each station has its queue with one call in flight (the latest wanted limit wins); an
 * answer or a timeout is kept for the next pass (`answered`) and calls it back.
 *
 * Each session is counted at what its station may hold: from the moment a limit is queued (not
 * only once it is sent) until its answer, the higher of the new limit and the one its station
 * last accepted; lowering limits go out at once, a raising one only when it fits with every
 * unanswered lowering counted at its old value, so that the sum of the limits in force never
 * exceeds the limit. A session never limited gets its first limit at once: its share when that
 * fits, else what room there is when that is at least the minimum, else 0 (paused); it counts
 * as its first limit from then on. A refusal is logged and the session counted at its
 * station's maximum; it is asked again (at that maximum) only when everything fits with it
 * counted so. A timeout leaves it counted at the higher of what its station last accepted (its
 * maximum when it never accepted one) and the new limit until its station answers again (asked
 * every UNANSWERED_RETRY_MS) or boots. A station that booted has lost its TxProfiles: its
 * sessions count at its maximum until their limits are accepted again.
 */
export class SessionLimitSender {
  /** When each session's station last refused its profile (ms since epoch). */
  private readonly refusedAt = new Map<number, number>();
  /** When each session's station last left its profile unanswered (ms since epoch). */
  private readonly unansweredAt = new Map<number, number>();
  /** Sessions with a limit queued or in flight: what each may hold meanwhile, kW. */
  private readonly flying = new Map<number, number>();
  /** What each session's station holds as far as known, kW: its last accepted limit, or its maximum after a refusal or a boot. */
  private readonly holding = new Map<number, number>();
  /** What answers (or timeouts) made of sessions' allocations, not yet taken by a pass. */
  private readonly outcomes = new Map<number, Allocation>();
  private readonly queue = new StationCallQueue();
  /** Sessions whose station refused their first profile: asked once more (at its maximum) whatever fits. */
  private readonly passing = new Set<number>();

  constructor(
    private readonly commands: CommandService,
    private readonly log: { warn(details: object, message: string): void },
    private readonly clock: Clock,
  ) {}

  /** Forgets what is known of a session that ended (a call of its still waiting is dropped). */
  forget(chargePointId: string, transactionId: number): void {
    for (const known of [this.refusedAt, this.unansweredAt, this.outcomes, this.flying, this.holding])
      known.delete(transactionId);
    this.passing.delete(transactionId);
    this.queue.drop(chargePointId, transactionId);
  }

  /** The session's station booted and lost its TxProfiles: it draws up to `maxKw` until its limit is accepted again. */
  rebooted(transactionId: number, maxKw: number): void {
    this.holding.set(transactionId, maxKw);
    this.unansweredAt.delete(transactionId);
  }

  /** The allocations `given`, with what the answers that came since made of them (taken once). */
  answered(sessions: readonly SiteSession[], given: Map<number, Allocation>): Map<number, Allocation> {
    const merged = new Map(given);
    for (const { transactionId } of sessions) {
      const outcome = this.outcomes.get(transactionId);
      if (outcome === undefined) continue;
      merged.set(transactionId, outcome);
      this.outcomes.delete(transactionId);
    }
    return merged;
  }

  /**
   * What a session out of our hands counts at, kW: its station's maximum after a refusal, the
   * higher of its old and new limits while a call is queued or out or after a timeout; undefined: ours.
   */
  heldKw(transactionId: number, allocation: Allocation | undefined, maxKw: number): number | undefined {
    if (allocation?.state === 'refused') return maxKw;
    return this.flying.get(transactionId) ?? this.unansweredKw(allocation);
  }

  /**
   * Queues the limits that changed (or are owed: a station that booted or did not answer),
   * lowering ones first, and answers what each session holds meanwhile; `answered` runs after
   * each answer or timeout. Returns at once.
   */
  send(
    sessions: readonly SiteSession[],
    wanted: readonly SessionLimit[],
    given: ReadonlyMap<number, Allocation>,
    site: SiteSend,
  ): Dispatch {
    const byKey = new Map(sessions.map((s) => [s.transactionId, s]));
    const allocations: Allocation[] = [];
    const changes: Change[] = [];
    const refused: Change[] = [];
    /** The sum of the limits in force, each session counted at the most it may hold. */
    let inForce = 0;
    for (const limit of wanted) {
      const session = byKey.get(limit.key);
      const before = given.get(limit.key);
      if (!session) continue;
      const owed = before === undefined || before.state !== 'sent' || before.limitKw !== limit.limitKw;
      const held =
        this.flying.has(limit.key) ||
        before?.state === 'refused' ||
        this.unansweredAt.has(limit.key) ||
        !session.stationConnected;
      if (held || !owed) {
        // Held sessions got their held value from the allocation; the others keep what they have.
        inForce += held ? limit.limitKw : this.holds(limit.key, before);
        if (!held) this.queue.drop(session.chargePointId, limit.key);
        if (held && owed && this.askAgain(session, before)) this.put({ session, limit, before }, site);
        if (held && this.mayAskRefused(session, before)) refused.push({ session, limit, before });
        allocations.push(before ?? pendingOf(limit));
      } else {
        inForce += this.holds(limit.key, before);
        changes.push({ session, limit, before });
      }
    }
    const oldKw = (c: Change) => this.holds(c.limit.key, c.before);
    const lowering = changes.filter((c) => c.limit.limitKw <= oldKw(c));
    const raising = changes
      .filter((c) => !lowering.includes(c))
      .sort((a, b) => (a.session.startedAt < b.session.startedAt ? -1 : 1));
    let started = false;
    for (const c of lowering) {
      started = this.put(c, site) || started;
      allocations.push(pendingOf(c.limit));
    }
    let waits = false;
    for (const c of raising) {
      const limit = this.fitting(c, site.limitKw - inForce + oldKw(c), site.minKw);
      if (limit === undefined) {
        // Room a lowering is to free may still be in use: the raise waits for a later pass.
        waits = true;
        this.queue.drop(c.session.chargePointId, c.limit.key);
        if (c.before) allocations.push(c.before);
        continue;
      }
      inForce += limit.limitKw - oldKw(c);
      started = this.put({ ...c, limit }, site) || started;
      allocations.push(pendingOf(limit));
    }
    // A session whose station refused is asked again, at its maximum, only when everything fits
    // so; one that refused its first profile (it may have overtaken its StartTransaction.conf), once at once.
    const fits = inForce <= site.limitKw + 1e-9 && wanted.every((w) => !w.paused);
    for (const c of refused.filter((r) => fits || this.passing.delete(r.limit.key))) {
      this.put({ ...c, limit: { key: c.limit.key, limitKw: site.maxKw(c.session), paused: false } }, site);
    }
    return { allocations, again: waits && started };
  }

  /**
   * The limit to send for a raise with `roomKw` free for the session: the wanted one when it
   * fits; for a session never limited (it draws its maximum meanwhile), at once what room
   * there is when that is at least the minimum, else 0; undefined: the raise waits.
   */
  private fitting(c: Change, roomKw: number, minKw: number): SessionLimit | undefined {
    if (c.limit.limitKw <= roomKw + 1e-9) return c.limit;
    if (c.before !== undefined || this.holding.has(c.limit.key)) return undefined;
    const room = Math.floor(Math.max(0, roomKw) * 1000) / 1000;
    return room >= minKw
      ? { key: c.limit.key, limitKw: room, paused: false }
      : { key: c.limit.key, limitKw: 0, paused: true };
  }

  /** What a session's station holds as far as known, kW: what it last accepted, else its allocation's limit (0: none). */
  private holds(transactionId: number, before: Allocation | undefined): number {
    return this.holding.get(transactionId) ?? before?.limitKw ?? 0;
  }

  /** Whether a session whose station left its profile unanswered is to be asked again now. */
  private askAgain(session: SiteSession, before: Allocation | undefined): boolean {
    return (
      session.stationConnected &&
      this.unansweredAt.has(session.transactionId) &&
      !this.flying.has(session.transactionId) &&
      !this.recently(this.unansweredAt, before, UNANSWERED_RETRY_MS)
    );
  }

  /** Whether a session whose station refused may be asked again (if everything fits). */
  private mayAskRefused(session: SiteSession, before: Allocation | undefined): boolean {
    return (
      before?.state === 'refused' &&
      session.stationConnected &&
      !this.flying.has(session.transactionId) &&
      !this.recently(this.refusedAt, before, REFUSED_RETRY_MS)
    );
  }

  /** Queues a limit at its station, counted at what it may hold from now on; true when the call started at once. */
  private put({ session, limit, before }: Change, site: Pick<SiteSend, 'maxKw' | 'answered'>): boolean {
    const { transactionId, chargePointId } = session;
    const mayHold = () => Math.max(limit.limitKw, this.holds(transactionId, before));
    this.flying.set(transactionId, Math.max(mayHold(), this.flying.get(transactionId) ?? 0));
    return this.queue.put(chargePointId, transactionId, async () => {
      this.flying.set(transactionId, mayHold());
      try {
        const outcome = await this.sendOne(session, limit, site.maxKw(session));
        // Kept only while the session goes on (`forget` ends its flight).
        if (this.flying.has(transactionId)) this.outcomes.set(transactionId, outcome);
      } finally {
        // A newer limit waiting for the station keeps the session held.
        if (!this.queue.waits(chargePointId, transactionId)) this.flying.delete(transactionId);
        site.answered();
      }
    });
  }

  private async sendOne(session: SiteSession, limit: SessionLimit, maxKw: number): Promise<Allocation> {
    const { transactionId, chargePointId } = session;
    try {
      const status = await this.applyLimit(session, limit.limitKw * 1000);
      this.unansweredAt.delete(transactionId);
      if (status === 'Accepted') {
        this.holding.set(transactionId, limit.limitKw);
        return { transactionId, limitKw: limit.limitKw, paused: limit.paused, state: 'sent' };
      }
      this.log.warn(
        { chargePointId, transactionId, status, countedKw: maxKw },
        'station refused the load manager’s charging profile: its session is counted at the station maximum',
      );
      this.refusedAt.set(transactionId, this.clock.now().getTime());
      if (!this.holding.has(transactionId)) this.passing.add(transactionId);
      this.holding.set(transactionId, maxKw);
      return { transactionId, limitKw: maxKw, paused: false, state: 'refused' };
    } catch (error) {
      // Whether the station got it is unknown: it is counted at the higher of both until it
      // answers again or boots; a station that never accepted a limit draws its maximum.
      const code = error instanceof AppError ? error.code : 'INTERNAL_ERROR';
      this.log.warn({ chargePointId, transactionId, code }, 'load manager’s charging profile not delivered');
      const held = Math.max(limit.limitKw, this.holding.get(transactionId) ?? maxKw);
      this.holding.set(transactionId, held);
      this.unansweredAt.set(transactionId, this.clock.now().getTime());
      return { transactionId, limitKw: held, paused: held === 0, state: 'pending' };
    }
  }

  /** The limit was removed: each limited session gets its station's maximum back, once (queued, not awaited). */
  lift(
    sessions: readonly SiteSession[],
    given: ReadonlyMap<number, Allocation>,
    maxKw: (s: SiteSession) => number,
  ): void {
    for (const s of sessions) {
      if (!s.stationConnected || given.get(s.transactionId)?.state !== 'sent') continue;
      this.holding.delete(s.transactionId);
      this.queue.put(s.chargePointId, s.transactionId, () =>
        this.applyLimit(s, maxKw(s) * 1000).then(
          () => undefined,
          (error: unknown) =>
            this.log.warn({ err: error, chargePointId: s.chargePointId }, 'lifting a limit failed'),
        ),
      );
    }
  }

  /** Limits one session to `limitW` watts, 0 pausing it (OCPP 1.6 §5.16.3, 2.0.1 K01). */
  private async applyLimit(session: SiteSession, limitW: number): Promise<ProfileStatus> {
    const { connectorId } = session;
    const commands = this.commands.system(session);
    return profileStatusOf(
      await commands.setChargingProfile(connectorId, sessionLimitProfile(session, limitW)),
    );
  }

  /**
   * What a session whose station left its last profile unanswered may still hold, kW (its
   * allocation keeps the higher of its old and new limits); undefined once it answers.
   */
  private unansweredKw(allocation: Allocation | undefined): number | undefined {
    if (allocation?.state !== 'pending' || !this.unansweredAt.has(allocation.transactionId)) return undefined;
    return allocation.limitKw;
  }

  /** Whether `at` holds a time for the session less than `ms` ago. */
  private recently(at: ReadonlyMap<number, number>, allocation: Allocation | undefined, ms: number): boolean {
    const when = allocation && at.get(allocation.transactionId);
    return when !== undefined && this.clock.now().getTime() - when < ms;
  }
}
