/**
 * A load-generator process: a fleet of lean charge points (see `lean-station.ts`) driven by
 * the bench driver over the IPC channel. Commands run one at a time; each answers one report.
 */
import { Histogram } from '../lib/histogram.js';
import { countError, serveCommands, type WorkerCommand, type WorkerReport } from '../lib/ipc.js';
import { LeanStation } from './lean-station.js';
import { bootCall, meterCall, startCall, startedTransaction, statusCall } from './messages.js';

/** How long a call waits for its answer before it counts as failed, ms. */
const CALL_TIMEOUT_MS = 30_000;

const stations: LeanStation[] = [];

function report(message: WorkerReport): void {
  process.send?.(message);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens every station's socket and boots it, `concurrency` at a time, retrying refusals. */
async function connect(command: Extract<WorkerCommand, { type: 'connect' }>): Promise<WorkerReport> {
  const latency = new Histogram();
  const connectLatency = new Histogram();
  const errors: Record<string, number> = {};
  let booted = 0;
  let failed = 0;
  let retries = 0;
  let lastBootAt = 0;
  let next = 0;

  const bootOne = async (station: LeanStation): Promise<void> => {
    const began = performance.now();
    for (let attempt = 1; attempt <= command.attempts; attempt++) {
      try {
        if (!station.open) {
          const opening = performance.now();
          await station.connect(command.url);
          connectLatency.record(performance.now() - opening);
        }
        const boot = bootCall(station.protocol, station.id);
        const outcome = await station.callAsync(boot.action, boot.payload);
        if (outcome.ok && outcome.payload.includes('"Accepted"')) {
          const interval = /"interval":(\d+)/.exec(outcome.payload)?.[1];
          station.heartbeatInterval = interval === undefined ? 0 : Number(interval);
          latency.record(performance.now() - began);
          lastBootAt = performance.timeOrigin + performance.now();
          booted += 1;
          stations.push(station);
          return;
        }
        countError(errors, outcome.ok ? 'not accepted' : outcome.error);
      } catch (error) {
        countError(errors, (error as Error).message);
      }
      if (attempt < command.attempts) {
        retries += 1;
        await sleep(200 * attempt + Math.random() * 200);
      }
    }
    station.close();
    failed += 1;
  };

  const runner = async () => {
    while (next < command.ids.length) {
      await bootOne(stationAt(next++));
    }
  };
  const stationAt = (index: number) =>
    new LeanStation(
      command.ids[index] as string,
      command.connectors,
      CALL_TIMEOUT_MS,
      command.protocols[index] ?? '1.6',
    );
  const rate = command.ratePerSecond;
  if (rate === undefined) {
    await Promise.all(Array.from({ length: Math.min(command.concurrency, command.ids.length) }, runner));
  } else {
    // Open loop: station k starts at k / rate seconds, however many are still booting.
    const began = performance.now();
    const booting: Promise<void>[] = [];
    while (next < command.ids.length) {
      const due = Math.min(command.ids.length, Math.floor(((performance.now() - began) * rate) / 1000) + 1);
      while (next < due) booting.push(bootOne(stationAt(next++)));
      await sleep(1);
    }
    await Promise.all(booting);
  }
  return {
    type: 'connected',
    booted,
    failed,
    retries,
    lastBootAt,
    bootLatency: latency.toData(),
    connectLatency: connectLatency.toData(),
    errors,
  };
}

/** A transaction on every connector of every station (StartTransaction, or TransactionEvent Started), in parallel across stations. */
async function start(idTag: string): Promise<WorkerReport> {
  const errors: Record<string, number> = {};
  let started = 0;
  let failed = 0;
  await Promise.all(
    stations.map(async (station) => {
      for (let connectorId = 1; connectorId <= station.connectors; connectorId++) {
        const own = `${station.id}-${connectorId}-${Date.now()}`;
        const call = startCall(station.protocol, connectorId, idTag, own);
        const outcome = await station.callAsync(call.action, call.payload);
        const transactionId = outcome.ok
          ? startedTransaction(station.protocol, outcome.payload, own)
          : undefined;
        if (transactionId === undefined) {
          failed += 1;
          countError(errors, outcome.ok ? 'no transactionId' : outcome.error);
          continue;
        }
        station.transactionIds[connectorId - 1] = transactionId;
        station.seqNos[connectorId - 1] = 1;
        started += 1;
      }
    }),
  );
  return { type: 'started', started, failed, errors };
}

/**
 * Meter values (1.6 MeterValues, 2.0.1 TransactionEvent Updated) at `rate` calls/s for `durationMs`, open loop: every millisecond the calls due by
 * then go out to the stations that have no call in flight (first come, first served). A call
 * due while every station waits for an answer is not sent later: it counts as `deferred`, the
 * sign that the server no longer keeps up. Round trips are timed from the send.
 */
function meter(rate: number, durationMs: number, statusEvery?: number): Promise<WorkerReport> {
  const latency = new Histogram();
  const errors: Record<string, number> = {};
  const ready = stations.filter((station) => station.open && station.transactionIds.length > 0);
  const idle: LeanStation[] = [...ready];
  const energy = new Map<LeanStation, number>();
  let sent = 0;
  let due = 0;
  let answered = 0;
  let failed = 0;
  let deferred = 0;
  let inFlight = 0;
  let lastAnswer = 0;
  let statusSent = 0;
  const began = performance.now();

  return new Promise((resolve) => {
    const finishIfDone = () => {
      if (performance.now() - began < durationMs || inFlight > 0) return false;
      const elapsedMs = Math.max(durationMs, lastAnswer - began);
      resolve({
        type: 'metered',
        sent,
        answered,
        failed,
        deferred,
        elapsedMs,
        latency: latency.toData(),
        errors,
        statusSent,
      });
      return true;
    };
    const onDone =
      (station: LeanStation) =>
      (outcome: { ok: boolean; rttMs: number; error?: string }): void => {
        inFlight -= 1;
        lastAnswer = performance.now();
        if (outcome.ok) {
          answered += 1;
          latency.record(outcome.rttMs);
        } else {
          failed += 1;
          countError(errors, outcome.error ?? 'failed');
        }
        if (station.open) idle.push(station);
        if (performance.now() - began >= durationMs) finishIfDone();
      };
    const callbacks = new Map(ready.map((station) => [station, onDone(station)]));
    // A station's status told again, from a station with no call in flight (none free: skipped).
    const sendStatus = () => {
      const station = idle.shift();
      if (!station) return;
      const call = statusCall(station.protocol, 1, performance.timeOrigin + performance.now());
      inFlight += 1;
      statusSent += 1;
      station.call(call.action, call.payload, () => {
        inFlight -= 1;
        if (station.open) idle.push(station);
        if (performance.now() - began >= durationMs) finishIfDone();
      });
    };
    const tick = () => {
      const elapsed = Math.min(performance.now() - began, durationMs);
      const target = Math.floor((rate * elapsed) / 1000);
      while (due < target) {
        due += 1;
        const station = idle.shift();
        if (!station) {
          deferred += 1;
          continue;
        }
        const connectorId = station.nextConnector;
        station.nextConnector = connectorId >= station.connectors ? 1 : connectorId + 1;
        const wh = (energy.get(station) ?? 0) + 10;
        energy.set(station, wh);
        const seqNo = station.seqNos[connectorId - 1] ?? 1;
        station.seqNos[connectorId - 1] = seqNo + 1;
        const sample = meterCall(
          station.protocol,
          connectorId,
          station.transactionIds[connectorId - 1] ?? 0,
          seqNo,
          performance.timeOrigin + performance.now(),
          wh,
        );
        inFlight += 1;
        sent += 1;
        station.call(sample.action, sample.payload, callbacks.get(station) as (outcome: unknown) => void);
        if (statusEvery !== undefined && sent % statusEvery === 0) sendStatus();
      }
      if (performance.now() - began < durationMs) setTimeout(tick, 1);
      else finishIfDone();
    };
    tick();
  });
}

/** Stays connected for `durationMs`, each station sending Heartbeat at its interval (spread out). */
async function idle(durationMs: number, interval: number | null): Promise<WorkerReport> {
  const latency = new Histogram();
  const errors: Record<string, number> = {};
  let heartbeats = 0;
  let failed = 0;
  const timers: NodeJS.Timeout[] = [];
  for (const station of stations) {
    const periodMs = (interval ?? station.heartbeatInterval) * 1000;
    if (periodMs <= 0) continue;
    const beat = () => {
      if (!station.open || station.busy) return;
      station.call('Heartbeat', '{}', (outcome) => {
        if (outcome.ok) {
          heartbeats += 1;
          latency.record(outcome.rttMs);
        } else {
          failed += 1;
          countError(errors, outcome.error);
        }
      });
    };
    timers.push(
      setTimeout(() => {
        beat();
        timers.push(setInterval(beat, periodMs));
      }, Math.random() * periodMs),
    );
  }
  await sleep(durationMs);
  for (const timer of timers) clearTimeout(timer);
  const open = stations.filter((station) => station.open).length;
  return { type: 'idled', heartbeats, failed, open, latency: latency.toData(), errors };
}

async function run(command: WorkerCommand): Promise<WorkerReport | undefined> {
  switch (command.type) {
    case 'connect':
      return connect(command);
    case 'start':
      return start(command.idTag);
    case 'meter':
      return meter(command.rate, command.durationMs, command.statusEvery);
    case 'idle':
      return idle(command.durationMs, command.heartbeatInterval);
    case 'close':
      for (const station of stations) station.close();
      process.disconnect?.();
      setTimeout(() => process.exit(0), 100).unref();
      return undefined;
  }
}

serveCommands(run, report);
