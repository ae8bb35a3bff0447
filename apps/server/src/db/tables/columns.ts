/**
 * The column types of the database. Both dialects read back the same JavaScript types:
 * integers and 0/1 booleans as `number`, times as ISO 8601 UTC text
 * (`2026-01-11T14:30:00.000Z`, which also sorts correctly as text), energy in Wh and power in kW
 * as `number`, JSON documents as text. Ids are 64-bit (bigint on PostgreSQL, read as numbers).
 */

/** ISO 8601 UTC text, e.g. `2026-01-11T14:30:00.000Z`. */
export type IsoTime = string;
/** 0 or 1. */
export type Flag = number;
