import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  MEASURANDS,
  type MeterValuesUpdatedPayload,
  type TransactionStartedPayload,
  type TransactionStoppedPayload,
} from '@cimorings/contracts';
import {
  useApi,
  type Paging,
  type Transaction,
  type TransactionDetail,
  type TransactionFilters,
} from '../api';
import { latestReadings } from '../meter';
import { pagedCollection } from './pagedCollection';

/** An active transaction with its latest readings. */
export interface LiveTransaction extends Transaction {
  /** Wh, the meter register (like meterStart); null until a reading arrives. */
  energy: number | null;
  /** kW. */
  power: number | null;
  /** %. */
  soc: number | null;
  /** The time of the latest reading. */
  readAt: string | null;
}

/** One point of the live power chart: epoch seconds, total kW of the active transactions. */
export interface PowerPoint {
  t: number;
  kw: number;
}

/** How many points the live power chart keeps (an hour at one point every 5 s). */
export const POWER_HISTORY = 720;
/** How many active transactions get their latest readings fetched on load. */
const SEED_READINGS = 20;

/** Wh between two registers; null when the start is unknown (an older row). */
export function energyBetween(meterStart: number | null, meterStop: number): number | null {
  return meterStart === null ? null : meterStop - meterStart;
}

/** Wh delivered so far: the latest register minus meterStart. */
export function deliveredWh(tx: LiveTransaction): number {
  if (tx.energy === null || tx.meterStart === null) return tx.energyDelivered ?? 0;
  return Math.max(0, tx.energy - tx.meterStart);
}

/**
 * Active transactions by id (updated live), the history page, and transaction details with
 * their meter values.
 */
export const useTransactionsStore = defineStore('transactions', () => {
  const api = useApi();
  const activeById = ref<Record<number, LiveTransaction>>({});
  /** The history page (TransactionsView). */
  const history = pagedCollection((tx: Transaction) => tx.transactionId);
  const details = ref<Record<number, TransactionDetail>>({});
  const power = ref<PowerPoint[]>([]);
  /** Unknown transactions already asked for, so that a stream of readings asks once. */
  const asked = new Set<number>();

  const active = computed(() =>
    Object.values(activeById.value).sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
  );
  const totalPowerKw = computed(() => active.value.reduce((sum, tx) => sum + (tx.power ?? 0), 0));

  function live(tx: Transaction): LiveTransaction {
    return { ...tx, energy: null, power: null, soc: null, readAt: null };
  }

  function recordPower(at: number): void {
    const t = Math.floor(at / 1000);
    const points = power.value;
    const last = points[points.length - 1];
    // One point per second: a burst of readings from many stations updates the same point.
    if (last && last.t === t) last.kw = totalPowerKw.value;
    else points.push({ t, kw: totalPowerKw.value });
    if (points.length > POWER_HISTORY) points.splice(0, points.length - POWER_HISTORY);
  }

  async function seedReadings(ids: number[]): Promise<void> {
    await Promise.all(
      ids.slice(0, SEED_READINGS).map(async (transactionId) => {
        try {
          const detail = await api.transactions.get(transactionId);
          const tx = activeById.value[transactionId];
          if (!tx || tx.readAt) return;
          const readings = latestReadings(detail.meterValues);
          tx.energy = readings.energy;
          tx.power = readings.power;
          tx.soc = readings.soc;
          tx.readAt = readings.timestamp;
        } catch {
          // Readings arrive with the next meter_values_updated anyway.
        }
      }),
    );
    recordPower(Date.now());
  }

  async function loadActive(): Promise<void> {
    const answer = await api.transactions.list({ status: 'active', limit: 1000 });
    const next: Record<number, LiveTransaction> = {};
    for (const tx of answer.items) {
      const known = activeById.value[tx.transactionId];
      next[tx.transactionId] = known ? { ...known, ...tx } : live(tx);
    }
    activeById.value = next;
    await seedReadings(answer.items.map((tx) => tx.transactionId));
  }

  /** The history matching `filters` as a CSV file. */
  function exportCsv(filters: TransactionFilters): Promise<Blob> {
    return api.transactions.csv(filters);
  }

  function loadHistory(filters: TransactionFilters & Paging): Promise<void> {
    return history.loadPage(() => api.transactions.list(filters));
  }

  async function close(transactionId: number, reason: string): Promise<void> {
    const closed = await api.transactions.close(transactionId, reason);
    delete activeById.value[transactionId];
    const detail = details.value[transactionId];
    if (detail) Object.assign(detail, closed);
  }

  async function loadDetail(transactionId: number): Promise<TransactionDetail> {
    const detail = await api.transactions.get(transactionId);
    details.value[transactionId] = detail;
    return detail;
  }

  /** `transaction_started`. */
  function applyStarted(event: TransactionStartedPayload): void {
    activeById.value[event.transactionId] = {
      transactionId: event.transactionId,
      chargePointId: event.chargePointId,
      connectorId: event.connectorId,
      idTag: event.idTag,
      // Not in the real-time payload: the detail read from the API carries it.
      ocppTransactionId: null,
      status: 'active',
      meterStart: event.meterStart,
      meterStop: null,
      startedAt: event.timestamp,
      stoppedAt: null,
      stopReason: null,
      energyDelivered: null,
      energy: event.meterStart,
      power: null,
      soc: null,
      readAt: null,
    };
    recordPower(Date.now());
  }

  /** `transaction_stopped`. */
  function applyStopped(event: TransactionStoppedPayload): void {
    const tx = activeById.value[event.transactionId];
    delete activeById.value[event.transactionId];
    const stopped = {
      status: 'completed' as const,
      meterStop: event.meterStop,
      stoppedAt: event.timestamp,
      stopReason: event.reason,
    };
    // The row of the history page and the detail, where loaded.
    for (const row of [history.byId.value[event.transactionId], details.value[event.transactionId]]) {
      if (row)
        Object.assign(row, stopped, { energyDelivered: energyBetween(row.meterStart, event.meterStop) });
    }
    if (tx) recordPower(Date.now());
  }

  /** `meter_values_updated`: the latest readings of a transaction. */
  function applyMeterValues(event: MeterValuesUpdatedPayload): void {
    if (event.transactionId === null) return;
    const detail = details.value[event.transactionId];
    if (detail && detail.status === 'active') {
      const add = (measurand: string, value: number | null, unit: string) => {
        if (value !== null) detail.meterValues.push({ timestamp: event.timestamp, measurand, value, unit });
      };
      add(MEASURANDS.energy, event.energy, 'Wh');
      add(MEASURANDS.power, event.power, 'kW');
      add(MEASURANDS.soc, event.soc, 'Percent');
    }
    const tx = activeById.value[event.transactionId];
    if (!tx) {
      // Started before this page loaded and not in the list yet: fetch the list once.
      if (!asked.has(event.transactionId)) {
        asked.add(event.transactionId);
        void loadActive().catch(() => undefined);
      }
      return;
    }
    if (event.energy !== null) tx.energy = event.energy;
    if (event.power !== null) tx.power = event.power;
    if (event.soc !== null) tx.soc = event.soc;
    tx.readAt = event.timestamp;
    recordPower(Date.now());
  }

  return {
    activeById,
    active,
    totalPowerKw,
    historyItems: history.list,
    historyTotal: history.total,
    details,
    power,
    loading: history.loading,
    loadActive,
    loadHistory,
    exportCsv,
    loadDetail,
    close,
    applyStarted,
    applyStopped,
    applyMeterValues,
  };
});
