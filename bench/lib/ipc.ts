import type { BenchProtocol } from '../load/messages.js';
import type { HistogramData } from './histogram.js';

/** Driver → load worker. */
export type WorkerCommand =
  | {
      type: 'connect';
      url: string;
      ids: string[];
      /** The protocol of each station, in the order of `ids`. */
      protocols: BenchProtocol[];
      connectors: number;
      /** Connections being opened at once by this worker (handshake + BootNotification). */
      concurrency: number;
      /** Attempts per station before it counts as failed. */
      attempts: number;
      /**
       * Open loop: stations of this worker started per second, each at its time whether the ones
       * before have booted or not (`concurrency` then does not apply).
       */
      ratePerSecond?: number;
    }
  | { type: 'start'; idTag: string }
  /**
   * `statusEvery`: after every so many meter values, one more call from another station: its
   * connector's status told again (the fan-out scenario's other event); not counted in the figures.
   */
  | { type: 'meter'; rate: number; durationMs: number; statusEvery?: number }
  | { type: 'idle'; durationMs: number; heartbeatInterval: number | null }
  | { type: 'close' };

/** Load worker → driver. */
export type WorkerReport =
  | { type: 'ready' }
  | {
      type: 'connected';
      booted: number;
      failed: number;
      retries: number;
      /** Epoch ms of the last BootNotification.conf (Accepted) received. */
      lastBootAt: number;
      bootLatency: HistogramData;
      /** From opening the socket to the upgrade's completion. */
      connectLatency: HistogramData;
      errors: Record<string, number>;
    }
  | { type: 'started'; started: number; failed: number; errors: Record<string, number> }
  | {
      type: 'metered';
      sent: number;
      answered: number;
      failed: number;
      /** Sends that were due but found every station with a call in flight. */
      deferred: number;
      elapsedMs: number;
      latency: HistogramData;
      errors: Record<string, number>;
      /** Status notifications sent beside the meter values (statusEvery). */
      statusSent: number;
    }
  | {
      type: 'idled';
      heartbeats: number;
      failed: number;
      open: number;
      latency: HistogramData;
      errors: Record<string, number>;
    }
  | { type: 'error'; message: string };

/** Driver → dashboards process. */
export type DashboardCommand =
  | {
      type: 'connect';
      url: string;
      /** Lean Socket.IO clients that join `dashboard` with this token. */
      dashboards: { count: number; token: string };
      /** Real socket.io-client clients of station-scoped users. */
      scoped: { token: string; allowed: string[]; forbidden: string }[];
    }
  /** `intervalMs`: how often each connector sends MeterValues (for the shown value's age). */
  | { type: 'measure'; intervalMs: number }
  | { type: 'collect' }
  | { type: 'close' };

export interface ScopedReport {
  clients: number;
  /** Clients that received at least one event of their own stations. */
  clientsWithEvents: number;
  events: number;
  /** Events received about a station outside the client's scope: must be 0. */
  outOfScope: number;
  /** `join_room` of a station outside the scope answered `{ ok: false }`, per client. */
  forbiddenRefused: number;
  latency: HistogramData;
}

/** Dashboards process → driver. */
export type DashboardReport =
  | { type: 'ready' }
  | { type: 'connected'; dashboards: number; scoped: number; failed: number; errors: string[] }
  | { type: 'measuring' }
  | {
      type: 'collected';
      dashboards: {
        clients: number;
        events: number;
        minPerClient: number;
        maxPerClient: number;
        latency: HistogramData;
        /** The age of the value each dashboard showed, at each change (see dashboards.ts shownAge). */
        shownAge: HistogramData;
        /** Station's send → `connector_status_updated` received (the statuses told beside the meter values). */
        otherLatency: HistogramData;
        disconnected: number;
      };
      scoped: ScopedReport;
      elapsedMs: number;
    }
  | { type: 'error'; message: string };

/** Counts failures by reason. */
export function countError(errors: Record<string, number>, reason: string): void {
  errors[reason] = (errors[reason] ?? 0) + 1;
}

/**
 * Runs a load process's command loop: commands from the driver are handled one at a time, in
 * order; each answer (or the error) is reported back; the driver going away ends the process,
 * so no orphan keeps hammering a port. Reports `ready` once listening.
 */
export function serveCommands<C, R extends { type: string }>(
  run: (command: C) => Promise<R | undefined>,
  report: (message: R) => void,
): void {
  // Both report unions carry `ready` and `error`, which this loop sends itself.
  const control = report as (message: { type: 'ready' } | { type: 'error'; message: string }) => void;
  let queue: Promise<void> = Promise.resolve();
  process.on('message', (command: C) => {
    queue = queue.then(async () => {
      try {
        const answer = await run(command);
        if (answer) report(answer);
      } catch (error) {
        control({ type: 'error', message: (error as Error).stack ?? String(error) });
      }
    });
  });
  process.on('disconnect', () => process.exit(0));
  control({ type: 'ready' });
}
