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

/**
 * Runs `run(2000, messages)` after a warm-up `run(0, 2000)`, and answers the
 * CPU it used (process.cpuUsage) and its wall time (ms); `flush` then writes what is still
 * buffered, and the samples stored are counted.
 */
export async function measureMicroRun(
  db: Kysely<Database>,
  messages: number,
  run: (from: number, count: number) => Promise<void>,
  flush: () => Promise<void>,
  afterWarmUp: () => void = () => undefined,
): Promise<{ used: NodeJS.CpuUsage; elapsed: number; stored: number }> {
  await run(0, Math.min(2000, messages)); // warm-up
  afterWarmUp();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run(2000, messages);
  const used = process.cpuUsage(cpu);
  const elapsed = performance.now() - started;
  await flush();
  const counted = await db
    .selectFrom('meter_values')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return { used, elapsed, stored: Number(counted.n) };
}
