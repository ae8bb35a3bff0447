import type { EventBus } from '../cluster/event-bus.js';
import { type Clock, isoNow, type TimeSource, type Timers } from '../domain/clock.js';
import type { DomainEvent } from '../domain/events.js';
import { allocate, electricalKw } from '../domain/load-allocation.js';
import { limitAhead, limitInForce } from '../domain/site-limit.js';
import type { Site } from '../domain/site.js';
import { canSeeStation } from '../domain/user.js';
import type { SiteLoad } from '@cimorings/contracts/rest';
import type { LoadRepository } from '../repositories/load.repository.js';
import type { SiteRepository } from '../repositories/site.repository.js';
import { heldKw, owedAgain, round, sameAllocation } from './allocation-state.js';
import { MeasuredPower } from './measured-power.js';
import type { SessionLimitSender } from './session-limit-sender.js';
import { SETTLE_MS, SiteSettling, START_SETTLE_MS } from './site-settling.js';
import { StationSites } from './station-sites.js';
import {
  SCHEDULE_LEAD_MS,
  type LoadManagerNode,
  type LoadManagerSettings,
  type LoadManagerStore,
} from './load-manager-ports.js';

/**
 * Shares each site's grid limit among its charging sessions (CONTRACT section 9): whenever a
 * session starts or stops, a meter value arrives, a limit changes, a station boots, and every
 * `intervalMs` (schedule boundaries, retries), it computes the limits (`allocate`), hands those
 * that really changed to the sender (lowering ones first so that the sum on the stations never
 * exceeds the limit) without waiting for any station: each answer or timeout brings another
 * pass. It publishes `SiteLoadUpdated` when the allocation changed. A station that does not
 * answer is counted at the higher of its old and new limit until it answers or boots again; one
 * that refuses is logged and counted at its maximum. What was given is stored (load_allocations),
 * so a restarted node goes on from it.
 *
 * Several nodes: one node drives (`node.drives`: the alive node with the lowest NODE_ID),
 * the others only mark what a booting station is owed. It reads sessions and allocations from
 * the database, so its timer pass picks up sessions started at other nodes within `intervalMs`;
 * the measured power it redistributes and the highest power of a station come from the meter
 * values of the stations it holds (the EventBus is per node): a session at another node counts
 * at its station's maximum demand.
 */
export class LoadManager {
  private readonly measured: MeasuredPower;
  private readonly stationSites: StationSites;
  private readonly running = new Map<number, Promise<void>>();
  private readonly settling = new SiteSettling((siteId) => this.settled(siteId));
  private readonly published = new Map<number, string>();
  /** Stations that booted since their sessions were last shared: their limits are owed again. */
  private readonly booted = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  private readonly loads: LoadRepository;
  private readonly sites: SiteRepository;
  private readonly events: EventBus;
  private readonly log: LoadManagerNode['log'];
  private readonly drives: () => Promise<boolean>;
  private readonly clock: Clock;
  private readonly timers: Timers;

  constructor(
    store: LoadManagerStore,
    private readonly sender: SessionLimitSender,
    node: LoadManagerNode,
    time: TimeSource,
    private readonly settings: LoadManagerSettings,
  ) {
    ({ loads: this.loads, sites: this.sites } = store);
    ({ events: this.events, log: this.log, drives: this.drives } = node);
    ({ clock: this.clock, timers: this.timers } = time);
    this.measured = new MeasuredPower(this.loads);
    this.stationSites = new StationSites(this.loads, this.clock);
  }

  start(): void {
    this.unsubscribe = this.events.subscribe((event) => this.heard(event));
    this.timer = this.timers.setInterval(() => void this.shareAll(), this.settings.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.timers.clearInterval(this.timer);
    this.settling.clear();
    await Promise.allSettled(this.running.values());
  }

  /**
   * What the site's load is now, from what was given and what the sessions last reported: the
   * site's totals, and the sessions at the stations of `scope` (null: every station).
   */
  async load(site: Site, scope: readonly string[] | null = null): Promise<SiteLoad> {
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
        powerKw: this.measured.of(s.transactionId),
        paused: allocation?.paused ?? false,
      };
    });
    return {
      limitKw: limitInForce(site, this.clock.now()),
      allocatedKw: round(rows.reduce((sum, r) => sum + r.limitKw, 0)),
      measuredKw: round(rows.reduce((sum, r) => sum + (r.powerKw ?? 0), 0)),
      sessions: rows.filter((row) => canSeeStation(scope, row.chargePointId)),
    };
  }

  /** Shares every managed site again; what the timer runs. */
  async shareAll(): Promise<void> {
    try {
      if (!(await this.drives())) return;
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
        return this.settling.soon(event.siteId);
      case 'MeterValuesReceived':
        if (event.power !== null)
          this.measured.reported(event.chargePointId, event.transactionId, event.power);
        // Every meter value: the site as remembered (StationSites), not a statement each.
        return this.soonAt(event.chargePointId, SETTLE_MS, this.stationSites.of(event.chargePointId));
      case 'TransactionStopped':
        this.measured.ended(event.transactionId);
        this.sender.forget(event.chargePointId, event.transactionId);
        return this.soonAt(event.chargePointId);
      case 'TransactionStarted':
        // Its first limit goes at once (paused when there is no room), once its conf went out:
        // at the site the station is at now, also when it was placed there a moment ago.
        return this.soonAt(event.chargePointId, START_SETTLE_MS);
      case 'StationBooted':
        // A booted station has lost its TxProfiles: its sessions count at its maximum until
        // their limits are sent again, at once (not after the settling). Marked in memory too,
        // so that a pass already running cannot write the mark away.
        this.booted.add(event.chargePointId);
        return this.rebooted(event.chargePointId, event.siteId);
      case 'StationDisconnected':
        return this.stationSites.forget(event.chargePointId);
      default:
        return;
    }
  }

  /**
   * A station at no site has no allocations to send again. Its site is the one its boot's write
   * read back (remembered as read then): no lookup, as every boot of a storm would ask.
   */
  private rebooted(chargePointId: string, site: number | null): void {
    this.lookUp(this.stationSites.told(chargePointId, site), chargePointId, async (siteId) => {
      if (siteId === null) return this.booted.delete(chargePointId); // no pass would take the mark off
      await this.loads.resendTo(chargePointId);
      this.settling.soon(siteId, 0);
    });
  }

  /** Settles the station's site soon; `site` read fresh unless given. */
  private soonAt(
    chargePointId: string,
    settleMs = SETTLE_MS,
    site = this.stationSites.fresh(chargePointId),
  ): void {
    const soon = (siteId: number | null) => siteId !== null && this.settling.soon(siteId, settleMs);
    this.lookUp(site, chargePointId, soon);
  }

  private lookUp(
    site: Promise<number | null>,
    chargePointId: string,
    then: (siteId: number | null) => unknown,
  ) {
    const failed = (error: unknown) =>
      this.log.warn({ err: error, chargePointId }, 'load management lookup failed');
    void site.then(then).catch(failed);
  }

  private settled(siteId: number): void {
    void this.drives().then(
      (drives) => (drives ? this.share(siteId) : undefined),
      (error: unknown) => this.log.warn({ err: error }, 'load management: which node drives is unknown'),
    );
  }

  private async shareNow(siteId: number): Promise<void> {
    const site = await this.sites.find(siteId);
    if (!site) return;
    // Answers (a refusal frees less than was planned) and raises waiting for lowerings to be
    // accepted come back as another pass; none waits for a station.
    if (await this.shareOnce(site, limitAhead(site, this.clock.now(), SCHEDULE_LEAD_MS)))
      this.settling.soon(siteId);
    await this.publish(site);
  }

  /** One pass over a site; true when it must run again shortly (raises wait for lowerings). */
  private async shareOnce(site: Site, limitKw: number | null): Promise<boolean> {
    const sessions = await this.loads.activeSessions(site.id);
    const maxKw = await this.measured.stationMaxima(sessions);
    const stored = new Map((await this.loads.allocations(site.id)).map((a) => [a.transactionId, a]));
    // From here to the sending nothing waits, so that no answer comes in between.
    // Sessions limited before their station booted lost their TxProfiles: they draw their
    // maximum until limited again (a session that started after the boot has no allocation yet).
    const booted = new Set(
      sessions
        .filter((s) => this.booted.has(s.chargePointId) && stored.has(s.transactionId))
        .map((s) => s.transactionId),
    );
    for (const s of sessions) this.booted.delete(s.chargePointId);
    for (const s of sessions)
      if (booted.has(s.transactionId)) this.sender.rebooted(s.transactionId, maxKw(s));
    const given = owedAgain(this.sender.answered(sessions, stored), booted);
    if (limitKw === null) {
      if (given.size > 0) {
        this.sender.lift(sessions, given, maxKw);
        await this.loads.saveAllocations(site.id, [], [], isoNow(this.clock));
      }
      return false;
    }
    const minKw = electricalKw(site.minCurrentA, site);
    const wanted = allocate(
      sessions.map((s) => {
        const allocation = given.get(s.transactionId);
        const max = maxKw(s);
        return {
          key: s.transactionId,
          arrivedAt: s.startedAt,
          maxKw: max,
          measuredKw: this.measured.of(s.transactionId),
          previousKw: allocation?.limitKw ?? null,
          heldKw: this.sender.heldKw(s.transactionId, allocation, max) ?? heldKw(s, allocation, max),
        };
      }),
      {
        limitKw,
        minKw,
        headroomKw: this.settings.headroomKw,
        hysteresisKw: this.settings.hysteresisKw,
      },
    );
    const answered = () => this.settling.soon(site.id);
    const { allocations, again } = this.sender.send(sessions, wanted, given, {
      limitKw,
      minKw,
      maxKw,
      answered,
    });
    // Only what changed is written: a mark made meanwhile (a station booted) stays.
    const changed = allocations.filter((a) => !sameAllocation(a, stored.get(a.transactionId)));
    const active = sessions.map((s) => s.transactionId);
    await this.loads.saveAllocations(site.id, active, changed, isoNow(this.clock));
    return again;
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
