/**
 * Column definitions several migrations share. Released migrations build with these, so each is
 * frozen like they are: never change one (a test pins the schema the migrations build); a new
 * spelling is a new builder.
 */
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/** An auto-numbered primary key, in each dialect's own spelling. */
export const autoNumberedKey = (dialect: Dialect) => (col: ColumnDefinitionBuilder) =>
  dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement();

/** A station's id on a row that goes with the station (deleted by cascade). */
export const stationReference = (col: ColumnDefinitionBuilder) =>
  col.notNull().references('stations.id').onDelete('cascade');

/** Creates the (non-unique) index `name` on `table` over `columns`, in that order. */
export const createIndex = (db: Kysely<unknown>, name: string, table: string, columns: string[]) =>
  db.schema.createIndex(name).on(table).columns(columns).execute();
