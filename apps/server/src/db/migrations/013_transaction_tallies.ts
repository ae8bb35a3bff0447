import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connect.js';
import { createIndex, stationReference } from './columns.js';

/**
 * Kept tallies of the transactions, so that the list's `total` and the statistics read a few
 * rows per station instead of every transaction (issue 17):
 * - `transaction_counts`: how many transactions each station has in each status;
 * - `transaction_energy_days`: Wh delivered by each station's completed transactions, by the UTC
 *   day of their stop (the energy of the statistics: meterStop − meterStart when both registers
 *   are plausible, never negative).
 * The database keeps them itself, by triggers on `transactions` (insert, update, delete —
 * station deletion cascades; per row on SQLite, per statement on PostgreSQL), in the
 * statement that changes the transaction: right whatever node or path writes, and rolled back
 * with it. The rows go with their station. Also an index of each station's transactions by
 * start, for the list of one station. Frozen like every released migration.
 */
export function transactionTallies(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('transaction_counts')
        .addColumn('station_id', 'integer', stationReference)
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('total', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('transaction_counts_pk', ['station_id', 'status'])
        .execute();
      await db.schema
        .createTable('transaction_energy_days')
        .addColumn('station_id', 'integer', stationReference)
        .addColumn('day', 'text', (col) => col.notNull())
        .addColumn('energy_wh', 'double precision', (col) => col.notNull())
        .addPrimaryKeyConstraint('transaction_energy_days_pk', ['station_id', 'day'])
        .execute();
      // The statistics read a period of every station (in scope).
      await createIndex(db, 'transaction_energy_days_day', 'transaction_energy_days', ['day', 'energy_wh']);
      // A station's list, newest first, read from its own transactions instead of filtering the
      // whole history's start index.
      await createIndex(db, 'transactions_station_started', 'transactions', ['station_id', 'started_at']);
      // PostgreSQL runs a migration in one transaction (the trigger's lock holds writers off
      // until the counts are in); SQLite does not, so the two go in one transaction here.
      if (dialect === 'postgres') {
        await postgresTriggers(db);
        await fillTallies(db);
      } else {
        await db.transaction().execute(async (trx) => {
          await sqliteTriggers(trx);
          await fillTallies(trx);
        });
      }
    },
  };
}

/** Wh a transaction row (`new`, `old` or the table) contributes; 0 without a plausible pair of registers. */
const energyOf = (row: string) => {
  const plausible = (column: string) => `(${row}.${column} >= 0 and ${row}.${column} <= 1e12)`;
  return (
    `(case when ${plausible('meter_start')} and ${plausible('meter_stop')} and ${row}.meter_stop > ${row}.meter_start ` +
    `then ${row}.meter_stop - ${row}.meter_start else 0 end)`
  );
};

/** Whether a row counts in the energy of its stop day. */
const completed = (row: string) => `${row}.status = 'completed' and ${row}.stopped_at is not null`;

/** The statements that take a row (`old`) out of the tallies and put one (`new`) in. */
const remove = (row: string) => [
  `update transaction_counts set total = total - 1 where station_id = ${row}.station_id and status = ${row}.status`,
  `update transaction_energy_days set energy_wh = energy_wh - ${energyOf(row)} ` +
    `where station_id = ${row}.station_id and day = substr(${row}.stopped_at, 1, 10) and ${completed(row)}`,
];
const add = (row: string) => [
  `insert into transaction_counts (station_id, status, total) select ${row}.station_id, ${row}.status, 1 where true ` +
    'on conflict (station_id, status) do update set total = transaction_counts.total + 1',
  `insert into transaction_energy_days (station_id, day, energy_wh) ` +
    `select ${row}.station_id, substr(${row}.stopped_at, 1, 10), ${energyOf(row)} where ${completed(row)} ` +
    'on conflict (station_id, day) do update set energy_wh = transaction_energy_days.energy_wh + excluded.energy_wh',
];

const TALLIED_COLUMNS = 'status, station_id, stopped_at, meter_start, meter_stop';

async function sqliteTriggers(db: Kysely<unknown>) {
  const trigger = (name: string, event: string, statements: string[]) =>
    sql
      .raw(`create trigger ${name} after ${event} on transactions begin ${statements.join('; ')}; end`)
      .execute(db);
  await trigger('transactions_tally_insert', 'insert', add('new'));
  await trigger('transactions_tally_update', `update of ${TALLIED_COLUMNS}`, [
    ...remove('old'),
    ...add('new'),
  ]);
  await trigger('transactions_tally_delete', 'delete', remove('old'));
}

/**
 * PostgreSQL tallies once per statement, from its transition tables (a bulk insert is one
 * grouped upsert, not one per row), and takes out by update only, never inserting a row for a
 * station whose deletion is cascading. Rows are upserted in key order, so that two statements
 * lock a station's rows in the same order.
 */
async function postgresTriggers(db: Kysely<unknown>) {
  const grouped = (rows: string) => ({
    counts: `select station_id, status, count(*) as n from ${rows} group by station_id, status`,
    energy:
      `select station_id, substr(stopped_at, 1, 10) as day, sum(${energyOf(rows)}) as wh from ${rows} ` +
      `where ${completed(rows)} group by station_id, substr(stopped_at, 1, 10)`,
  });
  const removed = grouped('old_rows');
  const added = grouped('new_rows');
  await sql
    .raw(
      `create function transactions_tally() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update transaction_counts c set total = c.total - d.n from (${removed.counts}) d
      where c.station_id = d.station_id and c.status = d.status;
    update transaction_energy_days e set energy_wh = e.energy_wh - d.wh from (${removed.energy}) d
      where e.station_id = d.station_id and e.day = d.day;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into transaction_counts (station_id, status, total)
      select station_id, status, n from (${added.counts}) d order by station_id, status
      on conflict (station_id, status) do update set total = transaction_counts.total + excluded.total;
    insert into transaction_energy_days (station_id, day, energy_wh)
      select station_id, day, wh from (${added.energy}) d order by station_id, day
      on conflict (station_id, day) do update set energy_wh = transaction_energy_days.energy_wh + excluded.energy_wh;
  end if;
  return null;
end $$`,
    )
    .execute(db);
  const tables = {
    insert: 'new table as new_rows',
    update: 'old table as old_rows new table as new_rows',
    delete: 'old table as old_rows',
  };
  for (const [event, referencing] of Object.entries(tables)) {
    await sql
      .raw(
        `create trigger transactions_tally_${event} after ${event} on transactions referencing ${referencing} ` +
          'for each statement execute function transactions_tally()',
      )
      .execute(db);
  }
}

/** The tallies of the transactions already stored. */
async function fillTallies(db: Kysely<unknown>) {
  const statements: RawBuilder<unknown>[] = [
    sql`insert into transaction_counts (station_id, status, total)
      select station_id, status, count(*) from transactions group by station_id, status`,
    sql.raw(`insert into transaction_energy_days (station_id, day, energy_wh)
      select station_id, substr(stopped_at, 1, 10), sum(${energyOf('transactions')}) from transactions
      where ${completed('transactions')} group by station_id, substr(stopped_at, 1, 10)`),
  ];
  for (const statement of statements) await statement.execute(db);
}
