/** The transaction resources: `/api/transactions`, its filters and meter values. */
import { Type, type Static } from 'typebox';
import { AUTHORIZATION_STATUSES, TRANSACTION_STATUSES, type AuthorizationStatus } from '../lists.js';
import { ChargePointId, Literals, Nullable, Resource } from './common.js';

const Status = Literals(TRANSACTION_STATUSES);

export const TransactionSchema = Resource('Transaction', {
  transactionId: Type.Integer(),
  chargePointId: Type.String(),
  connectorId: Type.Integer(),
  idTag: Nullable(Type.String(), {
    description:
      'null for an OCPP 2.x transaction started without an id token (cable first) until one arrives',
  }),
  ocppTransactionId: Nullable(Type.String(), {
    description:
      "an OCPP 2.x station's own transaction id (GET /api/transactions/{id} takes it too); null for OCPP 1.6",
  }),
  reservationId: Nullable(Type.Integer()),
  status: Status,
  meterStart: Nullable(
    Type.Number({ description: 'Wh; null only for an older row holding what no meter can show' }),
  ),
  meterStop: Nullable(Type.Number({ description: 'Wh' })),
  startedAt: Type.String({ format: 'date-time' }),
  stoppedAt: Nullable(Type.String({ format: 'date-time' })),
  stopReason: Nullable(Type.String()),
  energyDelivered: Nullable(
    Type.Number({
      description:
        'meterStop − meterStart, Wh; 0 when the meter went backwards, null while active or when a register is unknown',
    }),
  ),
  durationSeconds: Nullable(Type.Integer(), {
    description: 'stoppedAt − startedAt, whole seconds; null while active',
  }),
  closedBy: Nullable(Type.Integer(), {
    description: 'the user who closed it for a silent station; null when the station stopped it',
  }),
  closedAt: Nullable(Type.String({ format: 'date-time' }), {
    description: 'when an operator closed it (server time); null when the station stopped it',
  }),
  authorizationStatus: Type.Unsafe<AuthorizationStatus>({
    type: 'string',
    enum: [...AUTHORIZATION_STATUSES],
    description:
      'the idTagInfo.status StartTransaction was answered with; other than Accepted: the start was refused, ' +
      'the transaction is stored completed and never counts as active (its StopTransaction is recorded in it when it comes)',
  }),
});
export type Transaction = Static<typeof TransactionSchema>;

/** Transaction ids are 64-bit; beyond 2^53−1 the parsed number is not the one asked for. */
export const TransactionParams = Type.Object({
  transactionId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

/**
 * `GET /api/transactions/{transactionId}`: the integer id, or the id an OCPP 2.x station gave it
 * (`ocppTransactionId`, 36 characters at most); digits are the integer id first.
 */
export const TransactionLookupParams = Type.Object({
  transactionId: Type.String({
    minLength: 1,
    maxLength: 36,
    description: "the transaction's integer id, or its OCPP 2.x station's own transactionId",
  }),
});

/** The filters of the list and of the CSV export. */
export const TransactionFilterSchema = Type.Object({
  status: Type.Optional(Status),
  chargePointId: Type.Optional(ChargePointId),
  idTag: Type.Optional(Type.String({ maxLength: 20 })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'started at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'started before' })),
  stuck: Type.Optional(
    Type.Boolean({
      description:
        'true: only active transactions with no meter value and no heartbeat of their station for TRANSACTION_STUCK_AFTER_MINUTES',
    }),
  ),
});
export type TransactionFilters = Static<typeof TransactionFilterSchema>;

/** One sampled value of a transaction, in the stored unit (Wh, kW, %). */
export const MeterValueSchema = Type.Object({
  timestamp: Type.String(),
  measurand: Type.String(),
  value: Nullable(Type.Number(), {
    description: 'null only for an older row holding a value that is not a finite number',
  }),
  unit: Nullable(Type.String()),
  phase: Nullable(Type.String()),
  location: Nullable(Type.String()),
  context: Nullable(Type.String()),
});
export type MeterValue = Static<typeof MeterValueSchema>;

/** `GET /api/transactions/{transactionId}`: the transaction with its meter values. */
export const TransactionDetailSchema = Type.Object({
  ...TransactionSchema.properties,
  meterValues: Type.Array(MeterValueSchema),
});
export type TransactionDetail = Static<typeof TransactionDetailSchema>;
