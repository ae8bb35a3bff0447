import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { firstOf } from './paging.js';

/** Small named values stored with the data (the generated JWT secret, for one). */
export class SettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | undefined> {
    return firstOf(this.db.selectFrom('settings').select('value').where('key', '=', key), (row) => row.value);
  }

  /**
   * Stores `value` unless the key already has one, and answers the value that is stored, so
   * that nodes starting together all end up with the first one written.
   */
  async getOrInsert(key: string, value: string): Promise<string> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const stored = await this.get(key);
    if (stored === undefined) throw new Error(`setting ${key} vanished after insert`);
    return stored;
  }
}
