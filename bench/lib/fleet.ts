import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Channel } from './channel.js';
import { Histogram } from './histogram.js';
import type { WorkerCommand, WorkerReport } from './ipc.js';
import { spawnTs } from './procs.js';
import { type FleetProtocol, protocolOf } from '../load/messages.js';

const WORKER = fileURLToPath(new URL('../load/worker.ts', import.meta.url));

type Report<T extends WorkerReport['type']> = Extract<WorkerReport, { type: T }>;

function mergeErrors(reports: { errors: Record<string, number> }[]): Record<string, number> {
  const errors: Record<string, number> = {};
  for (const report of reports)
    for (const [reason, count] of Object.entries(report.errors))
      errors[reason] = (errors[reason] ?? 0) + count;
  return errors;
}

const sum = <T>(items: T[], pick: (item: T) => number) =>
  items.reduce((total, item) => total + pick(item), 0);

/** Load-generator processes, pinned to the load core, each driving a slice of the stations. */
export class Fleet {
  private constructor(private readonly workers: Channel<WorkerCommand, WorkerReport>[]) {}

  static async start(count: number, core: string | null, logDir: string, name: string): Promise<Fleet> {
    const workers = Array.from(
      { length: count },
      (_, i) =>
        new Channel<WorkerCommand, WorkerReport>(
          spawnTs(WORKER, [], { core, logFile: join(logDir, `${name}-worker${i}.log`), ipc: true }),
          `${name} worker ${i}`,
        ),
    );
    const fleet = new Fleet(workers);
    try {
      await Promise.all(workers.map((worker) => worker.whenReady()));
    } catch (error) {
      await fleet.close();
      throw error;
    }
    return fleet;
  }

  get pids(): (number | undefined)[] {
    return this.workers.map((worker) => worker.pid);
  }

  private all<T extends WorkerReport['type']>(
    commands: (i: number) => WorkerCommand,
    expect: T,
    timeoutMs: number,
  ): Promise<Report<T>[]> {
    return Promise.all(this.workers.map((worker, i) => worker.request(commands(i), expect, timeoutMs)));
  }

  /**
   * Connects and boots `ids`, dealt out to the workers, each station speaking `protocol` (a mixed
   * fleet alternates 1.6 and 2.0.1 along `ids`); resolves when every worker is done.
   */
  async connect(
    url: string,
    ids: string[],
    connectors: number,
    concurrency: number,
    timeoutMs: number,
    protocol: FleetProtocol = '1.6',
    /** Open loop: stations started per second in total, each station trying once (see WorkerCommand). */
    ratePerSecond?: number,
  ) {
    const n = this.workers.length;
    const mine = (i: number) => (_: unknown, k: number) => k % n === i;
    const protocols = ids.map((_, k) => protocolOf(protocol, k));
    const reports = await this.all(
      (i) => ({
        type: 'connect',
        url,
        ids: ids.filter(mine(i)),
        protocols: protocols.filter(mine(i)),
        connectors,
        concurrency,
        attempts: ratePerSecond === undefined ? 5 : 1,
        ...(ratePerSecond !== undefined && { ratePerSecond: ratePerSecond / n }),
      }),
      'connected',
      timeoutMs,
    );
    return {
      booted: sum(reports, (r) => r.booted),
      failed: sum(reports, (r) => r.failed),
      retries: sum(reports, (r) => r.retries),
      lastBootAt: Math.max(...reports.map((r) => r.lastBootAt)),
      bootLatency: Histogram.from(...reports.map((r) => r.bootLatency)),
      connectLatency: Histogram.from(...reports.map((r) => r.connectLatency)),
      errors: mergeErrors(reports),
    };
  }

  async startTransactions(idTag: string, timeoutMs: number) {
    const reports = await this.all(() => ({ type: 'start', idTag }), 'started', timeoutMs);
    return {
      started: sum(reports, (r) => r.started),
      failed: sum(reports, (r) => r.failed),
      errors: mergeErrors(reports),
    };
  }

  /**
   * Meter values at `rate` calls/s in total (shared evenly) for `durationMs`; with `statusEvery`,
   * one status notification more after every so many (see the worker's meter command).
   */
  async meter(rate: number, durationMs: number, statusEvery?: number) {
    const n = this.workers.length;
    const reports = await this.all(
      () => ({ type: 'meter', rate: rate / n, durationMs, statusEvery }),
      'metered',
      durationMs + 60_000,
    );
    const elapsedMs = Math.max(...reports.map((r) => r.elapsedMs));
    const answered = sum(reports, (r) => r.answered);
    return {
      target: rate,
      sent: sum(reports, (r) => r.sent),
      statusSent: sum(reports, (r) => r.statusSent),
      answered,
      failed: sum(reports, (r) => r.failed),
      deferred: sum(reports, (r) => r.deferred),
      elapsedMs,
      achieved: Math.round((answered / elapsedMs) * 1000),
      latency: Histogram.from(...reports.map((r) => r.latency)),
      errors: mergeErrors(reports),
    };
  }

  async idle(durationMs: number, heartbeatInterval: number | null) {
    const reports = await this.all(
      () => ({ type: 'idle', durationMs, heartbeatInterval }),
      'idled',
      durationMs + 60_000,
    );
    return {
      heartbeats: sum(reports, (r) => r.heartbeats),
      failed: sum(reports, (r) => r.failed),
      open: sum(reports, (r) => r.open),
      latency: Histogram.from(...reports.map((r) => r.latency)),
      errors: mergeErrors(reports),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close({ type: 'close' })));
  }
}
