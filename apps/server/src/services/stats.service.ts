import { isoTime, type Clock } from '../domain/clock.js';
import { countByStatus, energyPeriods } from '../domain/stats.js';
import type { StationStatus } from '../domain/station-status.js';
import type { Actor } from '../domain/user.js';
import type { StatsRepository } from '../repositories/stats.repository.js';

export interface DashboardStats {
  stations: {
    total: number;
    connected: number;
    /** Unknown charge points waiting for approval. */
    pending: number;
    byStatus: Record<StationStatus, number>;
  };
  transactions: { active: number };
  /** Wh, from the transactions completed in each period (by stoppedAt), UTC boundaries. */
  energy: {
    todayWh: number;
    monthWh: number;
    timezone: 'UTC';
    todayFrom: string;
    monthFrom: string;
  };
  generatedAt: string;
}

/** The dashboard's figures, counted over the stations the caller may see. */
export class StatsService {
  constructor(
    private readonly stats: StatsRepository,
    private readonly clock: Clock,
  ) {}

  async dashboard(actor: Actor): Promise<DashboardStats> {
    const now = this.clock.now();
    const periods = energyPeriods(now);
    const scope = actor.stationScope;
    const [stations, active, today, month] = await Promise.all([
      this.stats.stations(scope),
      this.stats.activeTransactions(scope),
      this.stats.energyDelivered(scope, periods.today.from, periods.today.to),
      this.stats.energyDelivered(scope, periods.month.from, periods.month.to),
    ]);
    const sum = (rows: typeof stations) => rows.reduce((total, row) => total + row.count, 0);
    return {
      stations: {
        total: sum(stations),
        connected: sum(stations.filter((row) => row.connected)),
        pending: sum(stations.filter((row) => row.pending)),
        byStatus: countByStatus(stations),
      },
      transactions: { active },
      energy: {
        todayWh: today,
        monthWh: month,
        timezone: 'UTC',
        todayFrom: periods.today.from,
        monthFrom: periods.month.from,
      },
      generatedAt: isoTime(now),
    };
  }
}
