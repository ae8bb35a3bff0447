import type { Kysely } from 'kysely';
import type { Database } from '../../apps/server/src/db/schema.js';

/** Stores `count` accepted, connected stations MICRO-0 … for the micro benches; answers their ids in order. */
export async function createMicroStations(
  db: Kysely<Database>,
  count: number,
  now: string,
): Promise<number[]> {
  const ids: number[] = [];
  for (let n = 0; n < count; n++) {
    const row = await db
      .insertInto('stations')
      .values({
        charge_point_id: `MICRO-${n}`,
        name: `micro ${n}`,
        registration: 'accepted',
        status: 'Available',
        connected: 1,
        security_profile: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}
