import type { Kysely, Selectable } from 'kysely';
import type { CommandsTable, Database, OcppMessagesTable } from '../db/schema.js';
import { BulkInsert } from '../db/bulk-insert.js';
import { countOf, pageOfQuery, type Page, type PageRequest } from './paging.js';

export interface OcppLogEntry {
  chargePointId: string;
  direction: 'in' | 'out';
  /** 2 CALL, 3 CALLRESULT, 4 CALLERROR; 0 for a frame that could not be read. */
  messageType: number;
  messageId: string;
  action: string | null;
  /** The frame's payload as JSON text (or the raw text of an unreadable frame). */
  payload: string;
  timestamp: string;
}

export interface CommandRecord {
  chargePointId: string;
  action: string;
  request: unknown;
  userId: number | null;
  now: string;
}

export interface CommandEntry {
  id: number;
  action: string;
  request: unknown;
  response: unknown;
  /** sent, answered, station_offline, station_timeout, ocpp_call_error or failed. */
  outcome: string;
  userId: number | null;
  username: string | null;
  sentAt: string;
  finishedAt: string | null;
}

/** The OCPP message log and the command audit trail. Queries only. */
export class OcppLogRepository {
  /** Batches of up to 500 frames: compiled once per size rather than built row by row. */
  private readonly insert: BulkInsert<'ocpp_messages'>;

  constructor(private readonly db: Kysely<Database>) {
    this.insert = new BulkInsert(db, 'ocpp_messages', [
      'charge_point_id',
      'direction',
      'message_type',
      'message_id',
      'action',
      'payload',
      'created_at',
    ]);
  }

  async append(entries: readonly OcppLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.insert.insertAll(
      entries.map((entry) => ({
        charge_point_id: entry.chargePointId,
        direction: entry.direction,
        message_type: entry.messageType,
        message_id: entry.messageId,
        action: entry.action,
        payload: entry.payload,
        created_at: entry.timestamp,
      })),
    );
  }

  /** Newest first. */
  async list(chargePointId: string, page: PageRequest): Promise<Page<OcppLogEntry & { id: number }>> {
    const query = this.db
      .selectFrom('ocpp_messages')
      .where('charge_point_id', '=', chargePointId)
      .selectAll()
      .orderBy('id', 'desc');
    return pageOfQuery(query, page, (rows) => rows.map(toLogEntry));
  }

  /**
   * Deletes entries older than `before` among the `limit` oldest (by id, which follows the time
   * they were written); answers how many. Only those rows are looked at, through the primary
   * key: no index on the time is kept up to date for every frame written (011), and a batch
   * costs the same however long the log is. 0: the oldest entries are within the retention.
   */
  async pruneOldest(before: string, limit: number): Promise<number> {
    const oldest = this.db.selectFrom('ocpp_messages').select('id').orderBy('id').limit(limit);
    const result = await this.db
      .deleteFrom('ocpp_messages')
      .where('id', 'in', oldest)
      .where('created_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async recordCommand(command: CommandRecord): Promise<number> {
    const row = await this.db
      .insertInto('commands')
      .values({
        charge_point_id: command.chargePointId,
        action: command.action,
        request: JSON.stringify(command.request),
        outcome: 'sent',
        user_id: command.userId,
        created_at: command.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** The command audit trail of a station, newest first. */
  async listCommands(chargePointId: string, page: PageRequest): Promise<Page<CommandEntry>> {
    const query = this.db.selectFrom('commands').where('charge_point_id', '=', chargePointId);
    const rows = await query
      .leftJoin('users', 'users.id', 'commands.user_id')
      .selectAll('commands')
      .select('users.username')
      .orderBy('commands.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { items: rows.map(toCommandEntry), total: await countOf(query) };
  }

  async finishCommand(id: number, outcome: string, response: unknown, now: string): Promise<void> {
    await this.db
      .updateTable('commands')
      .set({
        outcome,
        response: response === undefined ? null : JSON.stringify(response),
        finished_at: now,
      })
      .where('id', '=', id)
      .execute();
  }
}

function toLogEntry(row: Selectable<OcppMessagesTable>): OcppLogEntry & { id: number } {
  return {
    id: row.id,
    chargePointId: row.charge_point_id,
    direction: row.direction as 'in' | 'out',
    messageType: row.message_type,
    messageId: row.message_id,
    action: row.action,
    payload: row.payload,
    timestamp: row.created_at,
  };
}

function toCommandEntry(row: Selectable<CommandsTable> & { username: string | null }): CommandEntry {
  return {
    id: row.id,
    action: row.action,
    request: JSON.parse(row.request) as unknown,
    response: row.response === null ? null : (JSON.parse(row.response) as unknown),
    outcome: row.outcome,
    userId: row.user_id,
    username: row.username,
    sentAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
