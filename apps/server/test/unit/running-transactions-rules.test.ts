import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../src/domain/transaction.js';
import type { ChargePointSession } from '../../src/services/charge-point.service.js';
import { RunningTransactions, type RunningTransaction } from '../../src/services/running-transactions.js';

const session = (stationId: number): ChargePointSession => ({
  stationId,
  chargePointId: `CP-${stationId}`,
  registration: 'accepted',
});

function running(of: ChargePointSession, transactionId: number): RunningTransaction {
  const transaction: Transaction = {
    transactionId,
    chargePointId: of.chargePointId,
    connectorId: 1,
    idTag: null,
    ocppTransactionId: `tx-${transactionId}`,
    reservationId: null,
    status: 'active',
    meterStart: 0,
    meterStop: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    stoppedAt: null,
    stopReason: null,
    energyDelivered: null,
    durationSeconds: null,
    closedBy: null,
    closedAt: null,
    authorizationStatus: 'Accepted',
  };
  return { session: of, transaction, lastSeqNo: 1, meterStart: 'first', charged: false };
}

describe('RunningTransactions (what open connections told of running 2.x transactions)', () => {
  it('forgets the entries of a connection once it closes, and only those', () => {
    const memory = new RunningTransactions();
    const closing = session(1);
    const open = session(2);
    for (const [of, transactionId] of [
      [closing, 1],
      [closing, 2],
      [open, 3],
    ] as const)
      memory.remember(running(of, transactionId));
    memory.connectionClosed(closing);
    expect(memory.size).toBe(1);
    expect(memory.find(closing, 'tx-1')).toBeUndefined();
    expect(memory.find(open, 'tx-3')?.transaction.transactionId).toBe(3);
    // An event of the closed connection still being recorded remembers nothing.
    memory.remember(running(closing, 4));
    expect(memory.size).toBe(1);
  });

  it('keeps the entry a new connection of the same station made, when the old one closes after it', () => {
    const memory = new RunningTransactions();
    const old = session(1);
    const fresh = session(1);
    memory.remember(running(old, 1));
    memory.remember(running(fresh, 1));
    memory.connectionClosed(old);
    expect(memory.find(fresh, 'tx-1')?.session).toBe(fresh);
    memory.connectionClosed(fresh);
    expect(memory.size).toBe(0);
  });

  it('forgets a transaction at its Ended event and at its stop', () => {
    const memory = new RunningTransactions();
    const station = session(1);
    memory.remember(running(station, 1));
    memory.remember(running(station, 2));
    memory.ending(station, 'tx-1');
    memory.onEvent({
      type: 'TransactionStopped',
      chargePointId: station.chargePointId,
      transactionId: 2,
      connectorId: 1,
      meterStop: 10,
      reason: 'Local',
      timestamp: '2026-01-01T00:00:00.000Z',
    });
    expect(memory.size).toBe(0);
    memory.connectionClosed(station);
    expect(memory.size).toBe(0);
  });

  it('holds nothing of closed connections whatever they told, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            op: fc.constantFrom('remember', 'close', 'end'),
            connection: fc.integer({ min: 0, max: 5 }),
            transaction: fc.integer({ min: 1, max: 8 }),
          }),
          { maxLength: 60 },
        ),
        (steps) => {
          const memory = new RunningTransactions();
          // Connections 0-2 and 3-5 are two connections each of stations 1 and 2.
          const sessions = [0, 1, 2, 3, 4, 5].map((n) => session(n < 3 ? 1 : 2));
          const closed = new Set<ChargePointSession>();
          for (const { op, connection, transaction } of steps) {
            const of = sessions[connection]!;
            if (op === 'remember') memory.remember(running(of, of.stationId * 100 + transaction));
            else if (op === 'end') memory.ending(of, `tx-${of.stationId * 100 + transaction}`);
            else {
              memory.connectionClosed(of);
              closed.add(of);
            }
          }
          for (const of of closed) {
            for (let n = 1; n <= 8; n += 1)
              expect(memory.find(of, `tx-${of.stationId * 100 + n}`)).toBeUndefined();
          }
          for (const of of sessions) memory.connectionClosed(of);
          expect(memory.size).toBe(0);
        },
      ),
    );
  });
});
