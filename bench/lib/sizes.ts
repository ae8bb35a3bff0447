/** How large each scenario of a run is, by mode (`--quick`, `--smoke`); the options may change some. */
import type { HistorySize } from '../scenarios/history.js';

/** How large a run is: `full` is the issue's, `quick` about two minutes, `smoke` seconds. */
export type Mode = 'full' | 'quick' | 'smoke';

export interface IngestSize {
  stations: number;
  connectors: number;
  /** Load-generator processes. */
  workers: number;
  /** MeterValues calls/s of each step, in order; the run stops at the first step whose p99 passes the limit. */
  rates: number[];
  stepMs: number;
  /** Pause between steps, for the server to drain what it buffered. */
  pauseMs: number;
  /**
   * Meter values at the first rate before the first step, not measured: long enough for every
   * connector to report at least twice, so that each step measures the steady state and not the
   * one-off costs of the first reports (code paths run the first time, the first meter values of
   * each transaction), which a mixed fleet pays for two protocols over the same number of calls.
   */
  warmUpMs: number;
  p99LimitMs: number;
  /** The rate at which the MeterValues p99 budget is read (2,000 calls/s; less in a smoke run). */
  budgetRate: number;
}

export interface FanoutSize {
  stations: number;
  connectors: number;
  workers: number;
  dashboards: number;
  scoped: number;
  /** MeterValues (and so meter_values_updated events) per second. */
  rate: number;
  durationMs: number;
}

export interface CapacitySize {
  /** Stations in the boot storm (lowered to fit the open-files limit when it cannot be raised). */
  stations: number;
  workers: number;
  /** Handshakes + BootNotifications in flight per worker. */
  concurrency: number;
  idleMs: number;
  /** OCPP_HEARTBEAT_INTERVAL for the idle phase, seconds. */
  heartbeatInterval: number;
  /** Open-loop storm: stations connecting per second without waiting for each other (--storm-rate). */
  openLoopRate?: number;
}

/** The failover scenario: a fleet through HAProxy, one node killed under it. */
export interface FailoverSize {
  stations: number;
  /** Each station's MeterValues interval during the run, ms. */
  meterIntervalMs: number;
  /** Charging before the kill, and after every station is back, ms. */
  beforeMs: number;
  afterMs: number;
  /** Stations booting at once while the fleet comes online. */
  concurrency: number;
}

/** The size of every scenario of a run. */
export interface ScenarioSizes {
  ingest: IngestSize;
  fanout: FanoutSize;
  capacity: CapacitySize;
  history: HistorySize;
  failover: FailoverSize;
}

const LADDER = [1000, 2000, 4000, 8000, 12_000, 16_000, 24_000, 32_000, 48_000, 64_000, 96_000];
/**
 * What the full and quick runs share: stations of two connectors; ingest climbs the ladder and reads
 * its budget at 2,000 calls/s, the rate fan-out runs at.
 */
const LADDER_RUN = { connectors: 2, rates: LADDER, p99LimitMs: 100, budgetRate: 2000 };
const FANOUT_RUN = { connectors: 2, rate: 2000 };

/** The sizes of each scenario by mode: `full` is the issue's, `quick` about two minutes, `smoke` seconds. */
const SIZES: { [S in keyof ScenarioSizes]: Record<Mode, ScenarioSizes[S]> } = {
  ingest: {
    full: { ...LADDER_RUN, stations: 2000, workers: 2, stepMs: 10_000, pauseMs: 2000, warmUpMs: 10_000 },
    quick: { ...LADDER_RUN, stations: 1000, workers: 2, stepMs: 3000, pauseMs: 1000, warmUpMs: 5000 },
    smoke: {
      stations: 10,
      connectors: 2,
      workers: 1,
      rates: [50, 100],
      stepMs: 500,
      pauseMs: 100,
      warmUpMs: 500,
      p99LimitMs: 100,
      budgetRate: 100,
    },
  },
  fanout: {
    full: { ...FANOUT_RUN, stations: 2000, workers: 2, dashboards: 300, scoped: 100, durationMs: 30_000 },
    quick: { ...FANOUT_RUN, stations: 1000, workers: 1, dashboards: 100, scoped: 20, durationMs: 8000 },
    smoke: { stations: 10, connectors: 2, workers: 1, dashboards: 3, scoped: 2, rate: 50, durationMs: 1000 },
  },
  capacity: {
    full: { stations: 20_000, workers: 4, concurrency: 250, idleMs: 60_000, heartbeatInterval: 60 },
    quick: { stations: 5000, workers: 2, concurrency: 250, idleMs: 10_000, heartbeatInterval: 10 },
    smoke: { stations: 20, workers: 1, concurrency: 20, idleMs: 1500, heartbeatInterval: 1 },
  },
  history: {
    full: { samples: 5_000_000, requests: 100 },
    quick: { samples: 300_000, requests: 50 },
    smoke: { samples: 6000, requests: 5 },
  },
  failover: {
    full: { stations: 2000, meterIntervalMs: 10_000, beforeMs: 20_000, afterMs: 20_000, concurrency: 50 },
    quick: { stations: 500, meterIntervalMs: 5000, beforeMs: 10_000, afterMs: 10_000, concurrency: 50 },
    smoke: { stations: 12, meterIntervalMs: 1000, beforeMs: 3000, afterMs: 3000, concurrency: 12 },
  },
};

/** Every scenario's sizes in `mode`, a copy the options may change. */
export function sizesOf(mode: Mode): ScenarioSizes {
  const { ingest, fanout, capacity, history, failover } = SIZES;
  return structuredClone({
    ingest: ingest[mode],
    fanout: fanout[mode],
    capacity: capacity[mode],
    history: history[mode],
    failover: failover[mode],
  });
}
