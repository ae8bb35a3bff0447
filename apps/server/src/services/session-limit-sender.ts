import { profileStatusOf, sessionLimitProfile, type ProfileStatus } from '../domain/charging-profile.js';
import type { SessionLimit } from '../domain/load-allocation.js';
import { AppError } from '../errors.js';
import type { Allocation, SiteSession } from '../repositories/load.repository.js';
import type { CommandService } from './command.service.js';
import { StationCallQueue } from './station-call-queue.js';

/**
 * A station that refused a profile is asked again after this, ms: a refusal may be passing (a
 * TxProfile that overtook the StartTransaction.conf), and meanwhile the session counts at the
 * station's maximum.
 */
const REFUSED_RETRY_MS = 3000;
/** A station that left a profile unanswered is asked again after this, ms; meanwhile its session counts at what it may still hold. */
const UNANSWERED_RETRY_MS = 5000;

/** What a pass hands over: the allocations to keep, and whether it must run again soon. */
export interface Dispatch {
  allocations: Allocation[];
  /** Raises wait for lowering calls that just started: the site is to be shared again shortly. */
  again: boolean;
}

/** The site a pass sends for: its limit in force, its stations' maxima, what to run after each answer. */
export interface SiteSend {
  limitKw: number;
  maxKw: (s: SiteSession) => number;
  answered: () => void;
}

type Change = { session: SiteSession; limit: SessionLimit; before: Allocation | undefined };

/**
 * Gives charging sessions the limits the load manager computed, as TxProfiles sent through the
 * command path in each station's protocol (audited as sent by the system), without holding the
 * pass: each station has its queue with one call in flight (the latest wanted limit wins); an
 * answer or a timeout is kept for the next pass (`answered`) and calls it back. While a call is
 * out, its session counts at the higher of its old and new limits; lowering limits go out at
 * once, a raising one only when it fits with every unanswered lowering counted at its old value,
 * so that the sum of the limits in force never exceeds the limit (a session never limited
 * counts as nothing until its first limit is sent). A refusal is logged and the session counted
 * at its station's maximum; a timeout leaves it counted at the higher of its old limit (its
 * station's maximum when it had none) and its new one until its station answers again (asked
 * every UNANSWERED_RETRY_MS) or boots.
 */
export class SessionLimitSender {
  /** When each session's station last refused its profile (ms since epoch). */
  private readonly refusedAt = new Map<number, number>();
  /** When each session's station last left its profile unanswered (ms since epoch). */
  private readonly unansweredAt = new Map<number, number>();
  /** Sessions with a call in flight: what each may hold meanwhile, kW. */
  private readonly flying = new Map<number, number>();
  /** What answers (or timeouts) made of sessions' allocations, not yet taken by a pass. */
  private readonly outcomes = new Map<number, Allocation>();
  private readonly queue = new StationCallQueue();

  constructor(
    private readonly commands: CommandService,
    private readonly log: { warn(details: object, message: string): void },
  ) {}

  /** Forgets what is known of a session that ended (a call of its still waiting is dropped). */
  forget(chargePointId: string, transactionId: number): void {
    this.refusedAt.delete(transactionId);
    this.unansweredAt.delete(transactionId);
    this.outcomes.delete(transactionId);
    this.flying.delete(transactionId);
    this.queue.drop(chargePointId, transactionId);
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
   * higher of its old and new limits while a call is out or after a timeout; undefined: ours.
   */
  heldKw(transactionId: number, allocation: Allocation | undefined, maxKw: number): number | undefined {
    if (this.stillRefused(allocation)) return maxKw;
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
    /** The sum of the limits in force, each session counted at the most it may hold. */
    let inForce = 0;
    for (const limit of wanted) {
      const session = byKey.get(limit.key);
      const before = given.get(limit.key);
      if (!session) continue;
      const owed = before === undefined || before.state !== 'sent' || before.limitKw !== limit.limitKw;
      const held =
        this.flying.has(limit.key) ||
        this.stillRefused(before) ||
        this.unansweredAt.has(limit.key) ||
        !session.stationConnected;
      if (held || !owed) {
        // Held sessions got their held value from the allocation; the others keep what they have.
        inForce += held ? limit.limitKw : (before?.limitKw ?? 0);
        if (!held) this.queue.drop(session.chargePointId, limit.key);
        if (held && owed && this.askAgain(session, before)) this.put({ session, limit, before }, site);
        allocations.push(before ?? pendingOf(limit));
      } else {
        inForce += before?.limitKw ?? 0;
        changes.push({ session, limit, before });
      }
    }
    const oldKw = (c: Change) => c.before?.limitKw ?? 0;
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
      const raiseKw = c.limit.limitKw - oldKw(c);
      if (inForce + raiseKw <= site.limitKw + 1e-9) {
        inForce += raiseKw;
        started = this.put(c, site) || started;
        allocations.push(pendingOf(c.limit));
      } else {
        // Room a lowering is to free may still be in use: the raise waits for a later pass.
        waits = true;
        this.queue.drop(c.session.chargePointId, c.limit.key);
        if (c.before) allocations.push(c.before);
      }
    }
    return { allocations, again: waits && started };
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

  /** Queues a limit at its station; true when the call started at once. */
  private put({ session, limit, before }: Change, site: SiteSend): boolean {
    const { transactionId, chargePointId } = session;
    return this.queue.put(chargePointId, transactionId, async () => {
      this.flying.set(transactionId, Math.max(limit.limitKw, before?.limitKw ?? 0));
      try {
        const outcome = await this.sendOne(session, limit, before, site.maxKw(session));
        // Kept only while the session goes on (`forget` ends its flight).
        if (this.flying.has(transactionId)) this.outcomes.set(transactionId, outcome);
      } finally {
        this.flying.delete(transactionId);
        site.answered();
      }
    });
  }

  private async sendOne(
    session: SiteSession,
    limit: SessionLimit,
    before: Allocation | undefined,
    maxKw: number,
  ): Promise<Allocation> {
    const { transactionId, chargePointId } = session;
    try {
      const status = await this.applyLimit(session, limit.limitKw * 1000);
      this.unansweredAt.delete(transactionId);
      if (status === 'Accepted')
        return { transactionId, limitKw: limit.limitKw, paused: limit.paused, state: 'sent' };
      this.log.warn(
        { chargePointId, transactionId, status, countedKw: maxKw },
        'station refused the load manager’s charging profile: its session is counted at the station maximum',
      );
      this.refusedAt.set(transactionId, Date.now());
      return { transactionId, limitKw: maxKw, paused: false, state: 'refused' };
    } catch (error) {
      // Whether the station got it is unknown: it is counted at the higher of both until it boots.
      const code = error instanceof AppError ? error.code : 'INTERNAL_ERROR';
      this.log.warn({ chargePointId, transactionId, code }, 'load manager’s charging profile not delivered');
      const held = Math.max(limit.limitKw, before?.limitKw ?? maxKw);
      this.unansweredAt.set(transactionId, Date.now());
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

  /** Whether a session's station refused its profile too recently to ask again. */
  stillRefused(allocation: Allocation | undefined): boolean {
    return allocation?.state === 'refused' && this.recently(this.refusedAt, allocation, REFUSED_RETRY_MS);
  }

  /**
   * What a session whose station left its last profile unanswered may still hold, kW (its
   * allocation keeps the higher of its old and new limits); undefined once it answers.
   */
  unansweredKw(allocation: Allocation | undefined): number | undefined {
    if (allocation?.state !== 'pending' || !this.unansweredAt.has(allocation.transactionId)) return undefined;
    return allocation.limitKw;
  }

  /** Whether `at` holds a time for the session less than `ms` ago. */
  private recently(at: ReadonlyMap<number, number>, allocation: Allocation | undefined, ms: number): boolean {
    const when = allocation && at.get(allocation.transactionId);
    return when !== undefined && Date.now() - when < ms;
  }
}

/** A limit on its way to a session's station. */
function pendingOf(limit: SessionLimit): Allocation {
  return { transactionId: limit.key, limitKw: limit.limitKw, paused: limit.paused, state: 'pending' };
}
