import { isoNow } from '../domain/clock.js';
import type { KeyedRateLimit } from '../domain/keyed-rate-limit.js';
import type { Refusal } from '../domain/security-profile.js';
import type { Actor } from '../domain/user.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type { SecurityEvent, SecurityEventRepository } from '../repositories/security-event.repository.js';
import type { ChargePointClock } from './charge-point-clock.js';
import type { ChargePointSession } from './charge-point.service.js';
import type { StationService } from './station.service.js';

/** What a station sends in SecurityEventNotification.req (OCPP 1.6 Security Whitepaper §4.5). */
export interface SecurityEventReport {
  type: string;
  timestamp: string;
  techInfo?: string;
}

/** Where the upgrade records a refusal; a separate interface so that admission names only this. */
export interface SecurityEventRecorder {
  recordRefusal(stationId: number, chargePointId: string, refusal: Refusal): Promise<void>;
}

/** The security events of stations (CONTRACT section 8): reported by them, or recorded by the server. */
export class SecurityEventService implements SecurityEventRecorder {
  constructor(
    private readonly events: SecurityEventRepository,
    private readonly stations: StationService,
    private readonly clock: ChargePointClock,
    /**
     * Server records per station a minute: refused upgrades cost no password guess, so anyone
     * may make them; past the budget they are still refused, but not stored.
     */
    private readonly budget: KeyedRateLimit,
  ) {}

  /** Records why an upgrade of the station was refused; dropped past the station's budget. */
  async recordRefusal(stationId: number, chargePointId: string, refusal: Refusal): Promise<void> {
    if (!this.budget.take(chargePointId)) return;
    const now = isoNow(this.clock);
    await this.events.add(
      stationId,
      { type: refusal.type, timestamp: now, techInfo: refusal.techInfo, source: 'server' },
      now,
    );
  }

  /** Stores a SecurityEventNotification, at the station's time when believable. */
  async reported(session: ChargePointSession, report: SecurityEventReport): Promise<void> {
    const [read] = await this.clock.read(session.stationId, [report.timestamp]);
    const now = isoNow(this.clock);
    await this.events.add(
      session.stationId,
      {
        type: report.type,
        timestamp: read?.time ?? now,
        ...(report.techInfo !== undefined && { techInfo: report.techInfo }),
        source: 'station',
      },
      now,
    );
  }

  /** @throws AppError NOT_FOUND for an unknown station and one outside the caller's scope. */
  async list(actor: Actor, chargePointId: string, page: PageRequest): Promise<Page<SecurityEvent>> {
    const station = await this.stations.get(actor, chargePointId);
    return this.events.list(station.id, page);
  }
}
