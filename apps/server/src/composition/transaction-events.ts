import type { EventBus } from '../cluster/event-bus.js';
import type { ChargePointClock } from '../services/charge-point-clock.js';
import type { ChargePointService } from '../services/charge-point.service.js';
import { IdTokenAuthorizer } from '../services/id-token-authorizer.js';
import { PeriodicTransactionEvents } from '../services/periodic-transaction-events.js';
import { RunningTransactions } from '../services/running-transactions.js';
import { TransactionAnnouncer } from '../services/transaction-announcer.js';
import { TransactionEventRecorder } from '../services/transaction-event-recorder.js';
import { TransactionEventService } from '../services/transaction-event.service.js';
import type { Repositories } from './repositories.js';

/**
 * The 2.x transaction service and its parts: the id token decision, what others see, the full
 * way and the short way with the memory of running transactions it starts from (which forgets a
 * transaction once anyone tells its stop).
 */
export function createTransactionEventService(
  repos: Pick<Repositories, 'transactionEvents' | 'transactions' | 'idTags' | 'reservations'>,
  chargePoints: ChargePointService,
  events: EventBus,
  clock: ChargePointClock,
): TransactionEventService {
  const authorizer = new IdTokenAuthorizer(repos.idTags, repos.transactions, clock);
  const announcer = new TransactionAnnouncer(events, chargePoints);
  const running = new RunningTransactions();
  events.subscribe(running.onEvent);
  return new TransactionEventService(
    clock,
    new PeriodicTransactionEvents(running, repos.transactionEvents, repos.transactions, announcer),
    new TransactionEventRecorder(
      repos.transactionEvents,
      repos.transactions,
      repos.reservations,
      authorizer,
      announcer,
    ),
    authorizer,
  );
}
