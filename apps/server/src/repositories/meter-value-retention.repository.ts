import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, MeterValueAggregatesTable } from '../db/schema.js';
import { NO_TRANSACTION, SAMPLE_FIELDS } from './meter-value-columns.js';

/** The length of an aggregate's bucket. */
export const BUCKET_MS = 15 * 60_000;

type Aggregate = Insertable<MeterValueAggregatesTable>;

/** Aggregate rows per upsert statement (13 parameters each, far below either database's limit). */
const AGGREGATES_PER_STATEMENT = 500;

/**
 * Meter values past the retention: a batch of the oldest raw samples is deleted and, in the
 * same database transaction, folded into their transaction's 15-minute aggregates, so that a
 * sample is either raw or counted in an aggregate, never both nor neither. The batch is claimed
 * by its DELETE (RETURNING the rows): two nodes pruning at once never count a sample twice, as
 * the second one's DELETE finds the rows gone. Samples outside any transaction are only deleted.
 * Queries only.
 */
export class MeterValueRetentionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Condenses up to `limit` of the oldest samples (by id) received before `before`; answers how
   * many were taken. Only the `limit` oldest rows are looked at, so that a batch costs the same
   * however large the table is; 0 means the oldest rows are all within the retention.
   */
  async condenseOldest(before: string, limit: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const oldest = trx.selectFrom('meter_values').select('id').orderBy('id').limit(limit);
      const taken = await trx
        .deleteFrom('meter_values')
        .where('id', 'in', oldest)
        .where('received_at', '<', before)
        .returning(SAMPLE_FIELDS)
        .execute();
      const aggregates = await ofKnownTransactions(trx, [...aggregate(taken).values()]);
      for (let start = 0; start < aggregates.length; start += AGGREGATES_PER_STATEMENT) {
        await upsert(trx, aggregates.slice(start, start + AGGREGATES_PER_STATEMENT));
      }
      return taken.length;
    });
  }
}

type Taken = Pick<Aggregate, 'transaction_id' | 'measurand' | 'phase' | 'location' | 'context' | 'unit'> & {
  sampled_at: string;
  value: number;
};

/** The samples' aggregates by transaction, bucket and quantity; non-finite values are left out. */
function aggregate(samples: readonly Taken[]): Map<string, Aggregate> {
  const buckets = new Map<string, Aggregate>();
  for (const sample of samples) {
    const at = Date.parse(sample.sampled_at);
    if (sample.transaction_id === NO_TRANSACTION || !Number.isFinite(sample.value) || Number.isNaN(at))
      continue;
    const bucketStart = new Date(Math.floor(at / BUCKET_MS) * BUCKET_MS).toISOString();
    const key = [
      sample.transaction_id,
      bucketStart,
      sample.measurand,
      sample.phase,
      sample.location,
      sample.context,
      sample.unit,
    ].join('\u0000');
    const known = buckets.get(key);
    if (!known) {
      buckets.set(key, {
        transaction_id: sample.transaction_id,
        bucket_start: bucketStart,
        measurand: sample.measurand,
        phase: sample.phase,
        location: sample.location,
        context: sample.context,
        unit: sample.unit,
        samples: 1,
        total: sample.value,
        lowest: sample.value,
        highest: sample.value,
        last_value: sample.value,
        last_at: sample.sampled_at,
      });
      continue;
    }
    known.samples += 1;
    known.total += sample.value;
    known.lowest = Math.min(known.lowest, sample.value);
    known.highest = Math.max(known.highest, sample.value);
    if (sample.sampled_at >= known.last_at) {
      known.last_value = sample.value;
      known.last_at = sample.sampled_at;
    }
  }
  return buckets;
}

/** The aggregates whose transaction exists (an older row may name one that never did). */
async function ofKnownTransactions(db: Kysely<Database>, rows: Aggregate[]): Promise<Aggregate[]> {
  const ids = [...new Set(rows.map((row) => row.transaction_id))];
  if (ids.length === 0) return [];
  const known = new Set<number>();
  for (let start = 0; start < ids.length; start += AGGREGATES_PER_STATEMENT) {
    const found = await db
      .selectFrom('transactions')
      .select('id')
      .where('id', 'in', ids.slice(start, start + AGGREGATES_PER_STATEMENT))
      .execute();
    for (const { id } of found) known.add(id);
  }
  return rows.filter((row) => known.has(row.transaction_id));
}

/** Adds the aggregates to those stored (a bucket may be condensed over several batches). */
async function upsert(db: Kysely<Database>, rows: Aggregate[]): Promise<void> {
  if (rows.length === 0) return;
  const stored = (column: keyof MeterValueAggregatesTable) => sql.ref(`meter_value_aggregates.${column}`);
  const added = (column: keyof MeterValueAggregatesTable) => sql.ref(`excluded.${column}`);
  const later = sql<boolean>`${added('last_at')} >= ${stored('last_at')}`;
  await db
    .insertInto('meter_value_aggregates')
    .values(rows)
    .onConflict((conflict) =>
      conflict
        .columns(['transaction_id', 'bucket_start', 'measurand', 'phase', 'location', 'context', 'unit'])
        .doUpdateSet({
          samples: sql`${stored('samples')} + ${added('samples')}`,
          total: sql`${stored('total')} + ${added('total')}`,
          lowest: sql`CASE WHEN ${added('lowest')} < ${stored('lowest')} THEN ${added('lowest')} ELSE ${stored('lowest')} END`,
          highest: sql`CASE WHEN ${added('highest')} > ${stored('highest')} THEN ${added('highest')} ELSE ${stored('highest')} END`,
          last_value: sql`CASE WHEN ${later} THEN ${added('last_value')} ELSE ${stored('last_value')} END`,
          last_at: sql`CASE WHEN ${later} THEN ${added('last_at')} ELSE ${stored('last_at')} END`,
        }),
    )
    .execute();
}
