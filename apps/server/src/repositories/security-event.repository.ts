import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { pageOfQuery, type Page, type PageRequest } from './paging.js';

/** Who tells of a security event: the station itself, or the server about the station. */
export type SecurityEventSource = 'station' | 'server';

export interface SecurityEvent {
  type: string;
  /** ISO-8601 UTC. */
  timestamp: string;
  techInfo?: string;
  source: SecurityEventSource;
}

/** Security events of stations. Queries only. */
export class SecurityEventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(stationId: number, event: SecurityEvent, now: string): Promise<void> {
    await this.db
      .insertInto('security_events')
      .values({
        station_id: stationId,
        type: event.type,
        timestamp: event.timestamp,
        tech_info: event.techInfo ?? null,
        source: event.source,
        created_at: now,
      })
      .execute();
  }

  /** A station's events, newest first (by their time, then by arrival). */
  async list(stationId: number, page: PageRequest): Promise<Page<SecurityEvent>> {
    const query = this.db
      .selectFrom('security_events')
      .where('station_id', '=', stationId)
      .select(['type', 'timestamp', 'tech_info', 'source'])
      .orderBy('timestamp', 'desc')
      .orderBy('id', 'desc');
    return pageOfQuery(query, page, (rows) =>
      rows.map((row) => ({
        type: row.type,
        timestamp: row.timestamp,
        ...(row.tech_info !== null && { techInfo: row.tech_info }),
        source: row.source as SecurityEventSource,
      })),
    );
  }
}
