import type { EventBus } from '../cluster/event-bus.js';
import { type Clock, isoNow } from '../domain/clock.js';
import type { DomainEvent } from '../domain/events.js';
import { allocate, electricalKw, type SessionLimit } from '../domain/load-allocation.js';
import { limitInForce } from '../domain/site-limit.js';
import type { Site } from '../domain/site.js';
import { AppError } from '../errors.js';
import type { Allocation, LoadRepository, SiteSession } from '../repositories/load.repository.js';
import type { SiteRepository } from '../repositories/site.repository.js';
import type { ChargingLimits } from './charging-limits.js';

export interface LoadManagerSettings {
  /** How often every managed site is shared again (schedule boundaries, retries), ms; at most 5 s. */
  intervalMs: number;
  /** What a session drawing less than its share may draw beyond its measured power, kW. */
  headroomKw: number;
  /** A new limit within this of the one a session has is not sent, kW. */
  hysteresisKw: number;
}

/** CONTRACT section 9: a station's kW per connector while neither configured nor measured. */
export const DEFAULT_STATION_KW = 22;
/**
 * Events arriving together (a burst of meter values) are handled in one pass after this, ms; it
 * also lets a StartTransaction.conf reach the station before its first TxProfile (OCPP 1.6
 * §5.16.3: a TxProfile names a transaction the station must know).
 */
const SETTLE_MS = 300;
/**
 * A station that refused a profile is asked again after this, ms: a refusal may be passing (a
 * TxProfile that overtook the StartTransaction.conf), and meanwhile the session counts at the
 * station's maximum.
 */
const REFUSED_RETRY_MS = 3000;
/** Passes over one site in a row, when stations keep refusing. */
const MAX_PASSES = 3;

/** What a site's load is now (`GET /api/sites/{id}/load`). */
export interface SiteLoad {
  limitKw: number | null;
  allocatedKw: number;
  measuredKw: number;
  sessions: {
    chargePointId: string;
    connectorId: number;
    transactionId: number;
    limitKw: number;
    powerKw: number | null;
    paused: boolean;
  }[];
}

/**
 * Shares each site's grid limit among its charging sessions (CONTRACT section 9): whenever a
 * session starts or stops, a meter value arrives, a limit changes, a station boots, and every
 * `intervalMs` (schedule boundaries, retries), it computes the limits (`allocate`), sends those
 * that really changed, lowering ones first so that the sum on the stations never exceeds the
 * limit, and publishes `SiteLoadUpdated` when the allocation changed. A station that does not
 * answer is counted at the higher of its old and new limit until it boots again; one that
 * refuses is logged and counted at its maximum. What was given is stored (load_allocations),
 * so a restarted node goes on from it.
 *
 * Several nodes: the manager must run on one node only (each would otherwise send the same
 * profiles); it reads sessions and allocations from the database, so that node may be any, but
 * the measured power it redistributes comes from the meter values of the stations it holds
 * (the EventBus is per node). Electing that node is left to the deployment for now.
 */
export class LoadManager {
  /** Last power reported per transaction, kW. */
  private readonly measured = new Map<number, number>();
  /** Highest power measured per station, kW (read once from the database, then from events). */
  private readonly stationPeakKw = new Map<string, number>();
  private readonly running = new Map<number, Promise<void>>();
  private readonly settling = new Map<number, NodeJS.Timeout>();
  private readonly published = new Map<number, string>();
  /** When each session's station last refused its profile (ms since epoch). */
  private readonly refusedAt = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly loads: LoadRepository,
    private readonly sites: SiteRepository,
    private readonly limits: ChargingLimits,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly settings: LoadManagerSettings,
    private readonly log: { warn(details: object, message: string): void },
  ) {}

  start(): void {
    this.unsubscribe = this.events.subscribe((event) => this.heard(event));
    this.timer = setInterval(() => void this.shareAll(), this.settings.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.timer);
    for (const timeout of this.settling.values()) clearTimeout(timeout);
    this.settling.clear();
    await Promise.allSettled(this.running.values());
  }

  /** What the site's load is now, from what was given and what the sessions last reported. */
  async load(site: Site): Promise<SiteLoad> {
    const [sessions, given] = await Promise.all([
      this.loads.activeSessions(site.id),
      this.loads.allocations(site.id),
    ]);
    const byTransaction = new Map(given.map((a) => [a.transactionId, a]));
    const rows = sessions.map((s) => {
      const allocation = byTransaction.get(s.transactionId);
      return {
        chargePointId: s.chargePointId,
        connectorId: s.connectorId,
        transactionId: s.transactionId,
        limitKw: allocation?.limitKw ?? 0,
        powerKw: this.measured.get(s.transactionId) ?? null,
        paused: allocation?.paused ?? false,
      };
    });
    return {
      limitKw: limitInForce(site, this.clock.now()),
      allocatedKw: round(rows.reduce((sum, r) => sum + r.limitKw, 0)),
      measuredKw: round(rows.reduce((sum, r) => sum + (r.powerKw ?? 0), 0)),
      sessions: rows,
    };
  }

  /** Shares every managed site again; what the timer runs. */
  async shareAll(): Promise<void> {
    try {
      for (const siteId of await this.loads.sitesToManage()) await this.share(siteId);
    } catch (error) {
      this.log.warn({ err: error }, 'load management pass failed');
    }
  }

  /** Shares one site again, after any pass already running for it. */
  share(siteId: number): Promise<void> {
    const previous = this.running.get(siteId) ?? Promise.resolve();
    const next = previous
      .then(() => this.shareNow(siteId))
      .catch((error: unknown) => this.log.warn({ err: error, siteId }, 'load management of a site failed'));
    this.running.set(siteId, next);
    void next.then(() => {
      if (this.running.get(siteId) === next) this.running.delete(siteId);
    });
    return next;
  }

  private heard(event: DomainEvent): void {
    switch (event.type) {
      case 'SiteLimitChanged':
        return this.soon(event.siteId);
      case 'MeterValuesReceived':
        if (event.power !== null) {
          if (event.transactionId !== null) this.measured.set(event.transactionId, event.power);
          const peak = this.stationPeakKw.get(event.chargePointId) ?? 0;
          if (event.power > peak) this.stationPeakKw.set(event.chargePointId, event.power);
        }
        return this.soonAt(event.chargePointId);
      case 'TransactionStopped':
        this.measured.delete(event.transactionId);
        this.refusedAt.delete(event.transactionId);
        return this.soonAt(event.chargePointId);
      case 'TransactionStarted':
        return this.soonAt(event.chargePointId);
      case 'StationBooted':
        // A booted station has lost its TxProfiles: what it should hold is sent again.
        void this.loads.resendTo(event.chargePointId).then(() => this.soonAt(event.chargePointId));
        return;
      default:
        return;
    }
  }

  private soonAt(chargePointId: string): void {
    void this.loads.siteOf(chargePointId).then(
      (siteId) => siteId !== null && this.soon(siteId),
      (error: unknown) => this.log.warn({ err: error, chargePointId }, 'load management lookup failed'),
    );
  }

  private soon(siteId: number): void {
    if (this.settling.has(siteId)) return;
    const timeout = setTimeout(() => {
      this.settling.delete(siteId);
      void this.share(siteId);
    }, SETTLE_MS);
    timeout.unref();
    this.settling.set(siteId, timeout);
  }

  private async shareNow(siteId: number): Promise<void> {
    const site = await this.sites.find(siteId);
    if (!site) return;
    const limitKw = limitInForce(site, this.clock.now());
    // A refusal frees less than was planned: share again at once with the session at its maximum.
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      if (!(await this.shareOnce(site, limitKw))) break;
    }
    await this.publish(site);
  }

  /** One pass over a site; true when a station refused, so that the share must be made again. */
  private async shareOnce(site: Site, limitKw: number | null): Promise<boolean> {
    const sessions = await this.loads.activeSessions(site.id);
    const given = new Map((await this.loads.allocations(site.id)).map((a) => [a.transactionId, a]));
    const maxKw = await this.stationMaxima(sessions);
    if (limitKw === null) {
      await this.lift(site.id, sessions, given, maxKw);
      return false;
    }
    const wanted = allocate(
      sessions.map((s) => {
        const allocation = given.get(s.transactionId);
        const max = maxKw(s);
        return {
          key: s.transactionId,
          arrivedAt: s.startedAt,
          maxKw: max,
          measuredKw: this.measured.get(s.transactionId) ?? null,
          previousKw: allocation?.limitKw ?? null,
          heldKw: this.stillRefused(allocation) ? max : heldKw(s, allocation, max),
        };
      }),
      {
        limitKw,
        minKw: electricalKw(site.minCurrentA, site),
        headroomKw: this.settings.headroomKw,
        hysteresisKw: this.settings.hysteresisKw,
      },
    );
    const allocations = await this.send(sessions, wanted, given, maxKw);
    await this.loads.saveAllocations(site.id, allocations, isoNow(this.clock));
    return allocations.some((a) => a.state === 'refused' && given.get(a.transactionId)?.state !== 'refused');
  }

  /**
   * Sends the limits that changed (or are owed: a station that booted or did not answer),
   * lowering ones first, and answers what each session holds now.
   */
  private async send(
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
      if (this.stillRefused(before) || !session.stationConnected || !owed) {
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
    const { transactionId, chargePointId, connectorId } = session;
    try {
      const status = await this.limits.applySessionLimit(
        chargePointId,
        { connectorId, transactionId },
        limit.limitKw * 1000,
      );
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
      return { transactionId, limitKw: held, paused: held === 0, state: 'pending' };
    }
  }

  /** The limit was removed: each limited session gets its station's maximum back, once. */
  private async lift(
    siteId: number,
    sessions: readonly SiteSession[],
    given: ReadonlyMap<number, Allocation>,
    maxKw: (s: SiteSession) => number,
  ): Promise<void> {
    if (given.size === 0) return;
    await Promise.all(
      sessions
        .filter((s) => s.stationConnected && given.get(s.transactionId)?.state === 'sent')
        .map((s) =>
          this.limits
            .applySessionLimit(s.chargePointId, s, maxKw(s) * 1000)
            .catch((error: unknown) =>
              this.log.warn({ err: error, chargePointId: s.chargePointId }, 'lifting a limit failed'),
            ),
        ),
    );
    await this.loads.saveAllocations(siteId, [], isoNow(this.clock));
  }

  /** Whether a session's station refused its profile too recently to ask again. */
  private stillRefused(allocation: Allocation | undefined): boolean {
    if (allocation?.state !== 'refused') return false;
    const at = this.refusedAt.get(allocation.transactionId);
    return at !== undefined && Date.now() - at < REFUSED_RETRY_MS;
  }

  /** Each session's station maximum: configured, else the highest measured, else 22 kW. */
  private async stationMaxima(sessions: readonly SiteSession[]): Promise<(s: SiteSession) => number> {
    const unknown = sessions
      .filter((s) => s.stationMaxKw === null && !this.stationPeakKw.has(s.chargePointId))
      .map((s) => s.chargePointId);
    for (const [chargePointId, kw] of await this.loads.highestPowerKw([...new Set(unknown)])) {
      this.stationPeakKw.set(chargePointId, Math.max(kw, this.stationPeakKw.get(chargePointId) ?? 0));
    }
    return (s) => s.stationMaxKw ?? this.stationPeakKw.get(s.chargePointId) ?? DEFAULT_STATION_KW;
  }

  /** Publishes the site's load when its allocation changed since it was last published. */
  private async publish(site: Site): Promise<void> {
    const load = await this.load(site);
    const shape = JSON.stringify([
      load.limitKw,
      load.sessions.map((s) => [s.transactionId, s.limitKw, s.paused]),
    ]);
    if (this.published.get(site.id) === shape) return;
    this.published.set(site.id, shape);
    this.events.publish({
      type: 'SiteLoadUpdated',
      siteId: site.id,
      chargePointIds: await this.loads.stationsOf(site.id),
      limitKw: load.limitKw === null ? null : round(load.limitKw),
      allocatedKw: load.allocatedKw,
      measuredKw: load.measuredKw,
      timestamp: isoNow(this.clock),
    });
  }
}

/** What a session whose station is not connected is counted at (its last limit); null when ours to share. */
function heldKw(session: SiteSession, allocation: Allocation | undefined, maxKw: number): number | null {
  return session.stationConnected ? null : (allocation?.limitKw ?? maxKw);
}

const round = (kw: number) => Math.round(kw * 1000) / 1000;
