import { profileStatusOf, sessionLimitProfile, type ProfileStatus } from '../domain/charging-profile.js';
import type { SessionLimit } from '../domain/load-allocation.js';
import { AppError } from '../errors.js';
import type { Allocation, SiteSession } from '../repositories/load.repository.js';
import type { CommandService } from './command.service.js';

/**
 * A station that refused a profile is asked again after this, ms: a refusal may be passing (a
 * TxProfile that overtook the StartTransaction.conf), and meanwhile the session counts at the
 * station's maximum.
 */
const REFUSED_RETRY_MS = 3000;
/**
 * A station that left a profile unanswered is asked again after this, ms, outside the passes;
 * meanwhile its session counts at what it may still hold.
 */
const UNANSWERED_RETRY_MS = 5000;
/**
 * Gives charging sessions the limits the load manager computed, as TxProfiles sent through the
 * command path in each station's protocol (audited as sent by the system), and says
 * what each session holds afterwards: lowering limits first, raising ones only once every
 * lowering one was accepted, so that the sum on the stations never exceeds the limit in force.
 * A refusal is logged and the session counted at its station's maximum; an unanswered limit
 * leaves the session counted at the higher of its old and new limits until its station answers
 * again (or boots).
 */
export class SessionLimitSender {
  /** When each session's station last refused its profile (ms since epoch). */
  private readonly refusedAt = new Map<number, number>();
  /** When each session's station last left its profile unanswered (ms since epoch). */
  private readonly unansweredAt = new Map<number, number>();
  /** Sessions whose unanswered profile is being asked again, outside any pass. */
  private readonly retrying = new Set<number>();

  constructor(
    private readonly commands: CommandService,
    private readonly log: { warn(details: object, message: string): void },
  ) {}

  /** Forgets what is known of a session that ended. */
  forget(transactionId: number): void {
    this.refusedAt.delete(transactionId);
    this.unansweredAt.delete(transactionId);
  }

  /**
   * Sends the limits that changed (or are owed: a station that booted or did not answer),
   * lowering ones first, and answers what each session holds now.
   */
  async send(
    sessions: readonly SiteSession[],
    wanted: readonly SessionLimit[],
    given: ReadonlyMap<number, Allocation>,
    maxKw: (s: SiteSession) => number,
  ): Promise<Allocation[]> {
    const byKey = new Map(sessions.map((s) => [s.transactionId, s]));
    const result: Allocation[] = [];
    const changes: { session: SiteSession; limit: SessionLimit; before: Allocation | undefined }[] = [];
    for (const limit of wanted) {
      const session = byKey.get(limit.key);
      const before = given.get(limit.key);
      if (!session) continue;
      const owed = before === undefined || before.state !== 'sent' || before.limitKw !== limit.limitKw;
      const unanswered = this.unansweredAt.has(limit.key);
      if (unanswered && session.stationConnected && owed) this.retry(session, limit, before, maxKw(session));
      if (this.stillRefused(before) || unanswered || !session.stationConnected || !owed) {
        result.push(
          before ?? {
            transactionId: limit.key,
            limitKw: limit.limitKw,
            paused: limit.paused,
            state: 'pending',
          },
        );
      } else {
        changes.push({ session, limit, before });
      }
    }
    const lowering = changes.filter((c) => c.limit.limitKw <= (c.before?.limitKw ?? maxKw(c.session)));
    const raising = changes.filter((c) => !lowering.includes(c));
    const send = (group: typeof changes) =>
      Promise.all(group.map((c) => this.sendOne(c.session, c.limit, c.before, maxKw(c.session))));
    const lowered = await send(lowering);
    result.push(...lowered);
    if (lowered.every((a) => a.state === 'sent')) {
      result.push(...(await send(raising)));
    } else {
      // Room that was to be freed may still be in use: raising waits for the next pass.
      for (const c of raising) {
        result.push(
          c.before ?? {
            transactionId: c.limit.key,
            limitKw: maxKw(c.session),
            paused: false,
            state: 'pending',
          },
        );
      }
    }
    return result;
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

  /**
   * Asks a station that left a profile unanswered again, at most every UNANSWERED_RETRY_MS and
   * one call at a time, without holding the pass (each try may last the call timeout): its
   * answer only tells whether it answers again; the next pass shares with it once it does.
   */
  private retry(
    session: SiteSession,
    limit: SessionLimit,
    before: Allocation | undefined,
    maxKw: number,
  ): void {
    const { transactionId } = session;
    if (this.retrying.has(transactionId) || this.recently(this.unansweredAt, before, UNANSWERED_RETRY_MS))
      return;
    this.retrying.add(transactionId);
    void this.sendOne(session, limit, before, maxKw).finally(() => this.retrying.delete(transactionId));
  }

  /** The limit was removed: each limited session gets its station's maximum back, once. */
  async lift(
    sessions: readonly SiteSession[],
    given: ReadonlyMap<number, Allocation>,
    maxKw: (s: SiteSession) => number,
  ): Promise<void> {
    await Promise.all(
      sessions
        .filter((s) => s.stationConnected && given.get(s.transactionId)?.state === 'sent')
        .map((s) =>
          this.applyLimit(s, maxKw(s) * 1000).catch((error: unknown) =>
            this.log.warn({ err: error, chargePointId: s.chargePointId }, 'lifting a limit failed'),
          ),
        ),
    );
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
