import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { TransactionService } from '../../services/transaction.service.js';
import { actorOf } from '../access.js';
import { ChargePointId, errors, PageQuery, pageOf, PageSchema } from '../schemas.js';

const security = [{ bearer: [] }];
const Nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);

const TransactionSchema = Type.Object(
  {
    transactionId: Type.Integer(),
    chargePointId: Type.String(),
    connectorId: Type.Integer(),
    idTag: Type.String(),
    reservationId: Type.Union([Type.Integer(), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('completed')]),
    meterStart: Type.Number({ description: 'Wh' }),
    meterStop: Nullable(Type.Number({ description: 'Wh' })),
    startedAt: Type.String({ format: 'date-time' }),
    stoppedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    stopReason: Type.Union([Type.String(), Type.Null()]),
    energyDelivered: Nullable(Type.Number({ description: 'meterStop − meterStart, Wh' })),
  },
  { $id: 'Transaction' },
);

const MeterValueSchema = Type.Object({
  timestamp: Type.String(),
  measurand: Type.String(),
  value: Type.Number(),
  unit: Type.Union([Type.String(), Type.Null()]),
  phase: Type.Union([Type.String(), Type.Null()]),
  location: Type.Union([Type.String(), Type.Null()]),
  context: Type.Union([Type.String(), Type.Null()]),
});

export const transactionRoutes: FastifyPluginAsyncTypebox<{ transactions: TransactionService }> = async (
  app,
  { transactions },
) => {
  app.addSchema(TransactionSchema);

  app.get(
    '/api/transactions',
    {
      config: { access: 'transactions.view' },
      schema: {
        tags: ['transactions'],
        security,
        querystring: Type.Object({
          ...PageQuery.properties,
          status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('completed')])),
          chargePointId: Type.Optional(ChargePointId),
          idTag: Type.Optional(Type.String({ maxLength: 20 })),
          from: Type.Optional(Type.String({ format: 'date-time', description: 'started at or after' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'started before' })),
        }),
        response: { 200: PageSchema(Type.Ref('Transaction')), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { status, chargePointId, idTag, from, to } = request.query;
      return transactions.list(actorOf(request), pageOf(request.query), {
        status,
        chargePointId,
        idTag,
        from: from && new Date(from).toISOString(),
        to: to && new Date(to).toISOString(),
      });
    },
  );

  app.get(
    '/api/transactions/:transactionId',
    {
      config: { access: 'transactions.view' },
      schema: {
        tags: ['transactions'],
        security,
        params: Type.Object({ transactionId: Type.Integer({ minimum: 1 }) }),
        response: {
          200: Type.Object({ ...TransactionSchema.properties, meterValues: Type.Array(MeterValueSchema) }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => transactions.get(actorOf(request), request.params.transactionId),
  );
};
