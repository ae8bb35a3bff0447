import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/use-test-app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { OcppLogRepository } from '../../src/repositories/ocpp-log.repository.js';
import { OcppLogService } from '../../src/services/ocpp-log.service.js';
import { DIALECTS } from '../support/databases.js';
import { ManualClock } from '../support/test-app.js';

describe.each(DIALECTS)('the OCPP message log on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  let handle: DatabaseHandle;
  let repository: OcppLogRepository;

  beforeAll(async () => {
    handle = openDatabase(loadConfig({ DATABASE_URL: database.url }).database);
    await migrateToLatest(handle.db, handle.dialect);
    repository = new OcppLogRepository(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const frame = (messageId: string) => ({
    chargePointId: 'LOG-1',
    direction: 'in' as const,
    messageType: 2,
    messageId,
    action: 'Heartbeat',
    payload: '{}',
  });

  /** A log kept 30 days, written every 10 ms, with budgets no test here reaches. */
  const keptFor30Days = (clock: ManualClock) =>
    new OcppLogService(
      repository,
      clock,
      {
        retentionDays: 30,
        flushIntervalMs: 10,
        charsPerStationPerMinute: 1e9,
        charsPerUnacceptedStationPerMinute: 1e9,
      },
      (e) => {
        throw e;
      },
    );

  it('writes buffered frames in order, and all of them on close', async () => {
    const clock = new ManualClock();
    const log = new OcppLogService(
      repository,
      clock,
      {
        retentionDays: 30,
        flushIntervalMs: 10_000,
        charsPerStationPerMinute: 1e6,
        charsPerUnacceptedStationPerMinute: 1e6,
      },
      (e) => {
        throw e;
      },
    );
    for (let i = 0; i < 5; i++) log.record(frame(`m${i}`), true);
    expect((await repository.list('LOG-1', { limit: 10, offset: 0 })).total).toBe(0);
    await log.close();
    const page = await repository.list('LOG-1', { limit: 10, offset: 0 });
    expect(page.items.map((entry) => entry.messageId)).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
  });

  it('keeps frames for the retention window and prunes older ones', async () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00.000Z'));
    const log = keptFor30Days(clock);
    log.record(frame('old'), true);
    await log.flush();
    clock.advance(20 * 86_400_000);
    log.record(frame('recent'), true);
    await log.flush();
    clock.advance(15 * 86_400_000);
    expect(await log.prune()).toBeGreaterThanOrEqual(1);
    const ids = (await repository.list('LOG-1', { limit: 100, offset: 0 })).items.map(
      (entry) => entry.messageId,
    );
    expect(ids).toContain('recent');
    expect(ids).not.toContain('old');
    await log.close();
  });

  it('prunes a log longer than one batch, and the migration left no index on the time to keep up', async () => {
    const clock = new ManualClock(Date.parse('2026-03-01T00:00:00.000Z'));
    const log = keptFor30Days(clock);
    const station = { ...frame('x'), chargePointId: 'LOG-LONG' };
    for (let i = 0; i < 4500; i++) log.record({ ...station, messageId: `old-${i}` }, true);
    await log.flush();
    clock.advance(40 * 86_400_000);
    log.record({ ...station, messageId: 'recent' }, true);
    await log.flush();
    clock.advance(1000);
    expect(await log.prune()).toBeGreaterThanOrEqual(4500);
    const page = await repository.list('LOG-LONG', { limit: 10, offset: 0 });
    expect(page.items.map((entry) => entry.messageId)).toEqual(['recent']);
    const indexes =
      dialect === 'postgres'
        ? await sql<{
            name: string;
          }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'ocpp_messages'`.execute(handle.db)
        : await sql<{
            name: string;
          }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ocpp_messages'`.execute(
            handle.db,
          );
    expect(indexes.rows.map((row) => row.name)).not.toContain('ocpp_messages_created');
    await log.close();
  });

  it('keeps nothing when the retention is 0', async () => {
    const log = new OcppLogService(
      repository,
      new ManualClock(),
      {
        retentionDays: 0,
        flushIntervalMs: 10,
        charsPerStationPerMinute: 1e6,
        charsPerUnacceptedStationPerMinute: 1e6,
      },
      () => {},
    );
    log.record({ ...frame('never'), chargePointId: 'LOG-OFF' }, true);
    await log.close();
    expect((await repository.list('LOG-OFF', { limit: 10, offset: 0 })).total).toBe(0);
  });
});
