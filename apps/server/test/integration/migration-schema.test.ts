import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrateTo } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';

/** The last migration whose schema is pinned below; a later one adds its own expectations. */
const PINNED = '011_meter_values_plain_key';

/** Every table, column, constraint and index as the database itself describes them. */
async function describeSchema(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<unknown> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
      select type, name, sql from sqlite_master
      where name not like 'sqlite_%' and name not like 'kysely_%' order by type, name`.execute(db);
    return rows;
  }
  const columns = await sql`
    select table_name, column_name, ordinal_position, data_type, is_nullable, column_default,
      is_identity, identity_generation
    from information_schema.columns
    where table_schema = current_schema() and table_name not like 'kysely_%'
    order by table_name, ordinal_position`.execute(db);
  const constraints = await sql`
    select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as definition
    from pg_constraint
    where connamespace = current_schema()::regnamespace and conrelid::regclass::text not like 'kysely_%'
    order by 1, 2`.execute(db);
  const indexes = await sql`
    select tablename, indexname, indexdef from pg_indexes
    where schemaname = current_schema() and tablename not like 'kysely_%' order by 1, 2`.execute(db);
  return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows };
}

describe.each(DIALECTS)('the schema the migrations build on %s', (dialect) => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  // Migrations are history: a database that ran them must look the same as one that runs them
  // now, so a refactoring of their code (shared column builders) must not change what they build.
  it(`stays, up to ${PINNED}, exactly what it was when they were released`, async () => {
    const database = await createTestDatabase(dialect);
    databases.push(database);
    const handle = openDatabase(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      await migrateTo(handle.db, handle.dialect, PINNED);
      const schema = JSON.stringify(await describeSchema(handle.db, dialect), null, 1);
      await expect(schema).toMatchFileSnapshot(`./__snapshots__/migration-schema.${dialect}.json`);
    } finally {
      await handle.close();
    }
  });
});
