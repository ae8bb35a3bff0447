import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { csvLine } from '../../domain/csv.js';
import { TRANSACTION_SORTS } from '@cimorings/contracts';
import {
  Body,
  PageQuery,
  TransactionDetailSchema,
  TransactionFilterSchema,
  TransactionLookupParams,
  TransactionParams,
  TransactionSchema,
} from '@cimorings/contracts/rest';
import type { Transaction } from '../../domain/transaction.js';
import type {
  TransactionHistoryService,
  TransactionListFilter,
} from '../../services/transaction-history.service.js';
import { actorOf } from '../access.js';
import { bearerRoute, errors, pageAnswers, pageOf } from '../schemas.js';

function filterOf(query: Static<typeof TransactionFilterSchema>): TransactionListFilter {
  const { status, chargePointId, idTag, from, to, stuck } = query;
  return {
    status,
    chargePointId,
    idTag,
    from: from && new Date(from).toISOString(),
    to: to && new Date(to).toISOString(),
    stuck,
  };
}

const CSV_COLUMNS = [
  'transactionId',
  'chargePointId',
  'connectorId',
  'idTag',
  'status',
  'meterStart',
  'meterStop',
  'energyDelivered',
  'startedAt',
  'stoppedAt',
  'durationSeconds',
  'stopReason',
] as const satisfies readonly (keyof Transaction)[];

/**
 * The CSV file: the header, then one line per transaction, a batch at a time. The next batch is
 * read while the current one is sent, so that the database's time and the network's overlap
 * (two batches in memory at the most). A download given up ends the batches.
 */
async function* csvFile(first: Transaction[], rest: AsyncIterator<Transaction[]>): AsyncGenerator<string> {
  try {
    yield csvLine(CSV_COLUMNS);
    let batch: Transaction[] | undefined = first;
    while (batch) {
      const next = rest.next();
      // A read that fails after the download was given up has nobody left to tell.
      next.catch(() => undefined);
      yield batch.map((transaction) => csvLine(CSV_COLUMNS.map((column) => transaction[column]))).join('');
      const step = await next;
      batch = step.done ? undefined : step.value;
    }
  } finally {
    await rest.return?.();
  }
}

export const transactionRoutes: FastifyPluginAsyncTypebox<{
  transactions: TransactionHistoryService;
}> = async (app, { transactions }) => {
  app.addSchema(TransactionSchema);

  app.get(
    '/api/transactions',
    bearerRoute('transactions.view', 'transactions', {
      querystring: Type.Object({
        ...PageQuery.properties,
        ...TransactionFilterSchema.properties,
        sort: Type.Optional(
          Type.Union(
            TRANSACTION_SORTS.map((sort) => Type.Literal(sort)),
            { description: 'default startedAt; transactions without the value come last' },
          ),
        ),
        order: Type.Optional(
          Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'default desc' }),
        ),
      }),
      response: pageAnswers(Type.Ref('Transaction')),
    }),
    async (request) => {
      const { sort, order } = request.query;
      return transactions.list(actorOf(request), pageOf(request.query), filterOf(request.query), {
        sort: sort ?? 'startedAt',
        order: order ?? 'desc',
      });
    },
  );

  app.get(
    '/api/transactions.csv',
    bearerRoute('transactions.view', 'transactions', {
      summary: 'The transactions of the filters as a CSV file, in transaction id order, streamed',
      produces: ['text/csv'],
      querystring: TransactionFilterSchema,
      // 200 is the CSV stream itself: no schema to serialize it by.
      response: errors(400, 401, 403),
    }),
    async (request, reply) => {
      const batches = transactions.export(actorOf(request), filterOf(request.query))[Symbol.asyncIterator]();
      // The first batch before the answer starts, so that a failing query still gets its error status.
      const first = await batches.next();
      return (
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="transactions.csv"')
          // One batch buffered at a time: the export holds about one batch in memory, whatever its size.
          .send(Readable.from(csvFile(first.done ? [] : first.value, batches), { highWaterMark: 1 }))
      );
    },
  );

  app.post(
    '/api/transactions/:transactionId/close',
    bearerRoute('transactions.manage', 'transactions', {
      summary: 'Close an active transaction whose station went silent or offline',
      description:
        'meterStop becomes the highest energy register reported (else meterStart), stoppedAt now, ' +
        'stopReason the given reason; 409 while the station is connected and reporting.',
      params: TransactionParams,
      body: Body({
        reason: Type.String({ maxLength: 255, pattern: '\\S', description: 'why, kept as stopReason' }),
      }),
      response: { 200: Type.Ref('Transaction'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (request) =>
      transactions.close(actorOf(request), request.params.transactionId, request.body.reason.trim()),
  );

  app.get(
    '/api/transactions/:transactionId',
    bearerRoute('transactions.view', 'transactions', {
      params: TransactionLookupParams,
      response: {
        200: TransactionDetailSchema,
        ...errors(400, 401, 403, 404),
      },
    }),
    async (request) => transactions.get(actorOf(request), request.params.transactionId),
  );
};
