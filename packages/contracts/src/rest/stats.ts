/** `GET /api/stats`: figures over the caller's stations; energy days and months are UTC. */
import { Type, type Static } from 'typebox';
import { STATION_STATUSES, type StationStatus } from '../lists.js';

const Count = Type.Integer({ minimum: 0 });

export const StatsSchema = Type.Object({
  stations: Type.Object({
    total: Count,
    connected: Count,
    pending: Type.Integer({ minimum: 0, description: 'unknown charge points waiting for approval' }),
    byStatus: Type.Object(
      Object.fromEntries(STATION_STATUSES.map((status) => [status, Count])) as Record<
        StationStatus,
        typeof Count
      >,
    ),
  }),
  transactions: Type.Object({ active: Count }),
  energy: Type.Object(
    {
      todayWh: Type.Number({ description: 'Wh of the transactions completed since 00:00 UTC today' }),
      monthWh: Type.Number({ description: 'Wh of the transactions completed since 00:00 UTC on the 1st' }),
      timezone: Type.Literal('UTC', { description: 'the day and month boundaries are UTC' }),
      todayFrom: Type.String({ format: 'date-time' }),
      monthFrom: Type.String({ format: 'date-time' }),
    },
    {
      description:
        'meterStop − meterStart of completed transactions, by their stoppedAt (the charge point’s time), in [from, next boundary)',
    },
  ),
  generatedAt: Type.String({ format: 'date-time' }),
});
export type Stats = Static<typeof StatsSchema>;
