/**
 * The real-time side of the fan-out scenario, in its own process: lean dashboard clients that
 * join `dashboard` and time every `meter_values_updated` and `connector_status_updated`, plus real socket.io-client clients of
 * station-scoped users that record every event they get, to prove none is outside their scope.
 *
 * The lean client speaks Engine.IO 4 / Socket.IO 5 over a raw `ws` socket and reads only the
 * event name and `timestamp` of each frame: 300 full socket.io-client instances would spend more
 * CPU decoding than the server spends sending, and the bench would measure itself.
 */
import { CUSTOMER_REALTIME_EVENTS } from '@cimorings/contracts';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { Histogram } from '../lib/histogram.js';
import { serveCommands, type DashboardCommand, type DashboardReport } from '../lib/ipc.js';

const METER_EVENT = Buffer.from('42["meter_values_updated"');
const STATUS_EVENT = Buffer.from('42["connector_status_updated"');
const TIMESTAMP_KEY = Buffer.from('"timestamp":"');
const EVENT_PREFIX = Buffer.from('42[');

function now(): number {
  return performance.timeOrigin + performance.now();
}

const TRANSACTION_KEY = Buffer.from('"transactionId":');

/** The `timestamp` the charge point stamped on a `meter_values_updated` or `connector_status_updated` frame (its send time), ms. */
function sentAt(frame: Buffer): number | undefined {
  const at = frame.indexOf(TIMESTAMP_KEY);
  if (at < 0) return undefined;
  const start = at + TIMESTAMP_KEY.length;
  return Date.parse(frame.toString('latin1', start, start + 24));
}

/** The transaction of a `meter_values_updated` frame, as text (digits up to the comma). */
function transactionOf(frame: Buffer): string | undefined {
  const at = frame.indexOf(TRANSACTION_KEY);
  if (at < 0) return undefined;
  const start = at + TRANSACTION_KEY.length;
  const end = frame.indexOf(44 /* , */, start);
  return end < 0 ? undefined : frame.toString('latin1', start, end);
}

/**
 * The age of the value a dashboard shows, taken each time a session's value changes: how long
 * the dashboard showed an older value than the charge point had sent. With every value
 * delivered it is the delivery latency; when values were skipped (conflated), it runs from the
 * send of the first value the dashboard did not get, which the stations' fixed interval gives:
 * the previous shown value's send time plus `intervalMs`.
 */
function shownAge(
  arrived: number,
  sent: number,
  previousSent: number | undefined,
  intervalMs: number,
): number {
  const firstMissed = previousSent === undefined ? sent : Math.min(sent, previousSent + intervalMs);
  return arrived - firstMissed;
}

class LeanDashboard {
  events = 0;
  closed = false;
  private socket: WebSocket | undefined;
  /** The send time of the value shown, per transaction. */
  private readonly shown = new Map<string, number>();

  constructor(
    private readonly latency: { current: Histogram; shownAge: Histogram; other: Histogram },
    private readonly measuring: { on: boolean; intervalMs: number },
  ) {}

  startMeasuring(): void {
    this.events = 0;
    this.shown.clear();
  }

  connect(url: string, token: string): Promise<void> {
    const wsUrl = `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(wsUrl, { perMessageDeflate: false });
      this.socket = socket;
      const timer = setTimeout(() => reject(new Error('dashboard handshake timed out')), 30_000);
      let joined = false;
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on('close', () => {
        this.closed = true;
      });
      socket.on('message', (data: Buffer) => {
        if (data.length === 1 && data[0] === 50 /* "2": ping */) {
          socket.send('3');
          return;
        }
        if (joined) {
          if (!this.measuring.on || data.compare(EVENT_PREFIX, 0, 3, 0, 3) !== 0) return;
          if (data.compare(METER_EVENT, 0, METER_EVENT.length, 0, METER_EVENT.length) === 0) {
            this.events += 1;
            const sent = sentAt(data);
            if (sent === undefined) return;
            const arrived = now();
            this.latency.current.record(arrived - sent);
            const transaction = transactionOf(data);
            if (transaction === undefined) return;
            const previous = this.shown.get(transaction);
            this.latency.shownAge.record(shownAge(arrived, sent, previous, this.measuring.intervalMs));
            this.shown.set(transaction, sent);
          } else if (data.compare(STATUS_EVENT, 0, STATUS_EVENT.length, 0, STATUS_EVENT.length) === 0) {
            const sent = sentAt(data);
            if (sent !== undefined) this.latency.other.record(now() - sent);
          }
          return;
        }
        const text = data.toString();
        if (text.startsWith('0{')) socket.send(`40${JSON.stringify({ token })}`);
        else if (text.startsWith('40{')) socket.send('420["join_room",{"room":"dashboard"}]');
        else if (text.startsWith('44')) reject(new Error(`refused: ${text}`));
        else if (text.startsWith('430[')) {
          clearTimeout(timer);
          if (text.includes('"ok":true')) {
            joined = true;
            resolve();
          } else reject(new Error(`join refused: ${text}`));
        }
      });
    });
  }

  close(): void {
    this.socket?.terminate();
  }
}

interface ScopedClient {
  socket: Socket;
  allowed: Set<string>;
  events: number;
  outOfScope: number;
  forbiddenRefused: boolean;
}

function connectScoped(
  url: string,
  spec: { token: string; allowed: string[]; forbidden: string },
  latency: { current: Histogram },
  measuring: { on: boolean },
): Promise<ScopedClient> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token: spec.token }, transports: ['websocket'], reconnection: false });
    const client: ScopedClient = {
      socket,
      allowed: new Set(spec.allowed),
      events: 0,
      outOfScope: 0,
      forbiddenRefused: false,
    };
    for (const name of CUSTOMER_REALTIME_EVENTS) {
      socket.on(
        name as never,
        ((payload: { chargePointId?: string; timestamp?: string }) => {
          if (!measuring.on) return;
          client.events += 1;
          if (!client.allowed.has(payload.chargePointId ?? '')) client.outOfScope += 1;
          if (name === 'meter_values_updated' && payload.timestamp)
            latency.current.record(now() - Date.parse(payload.timestamp));
        }) as never,
      );
    }
    socket.once('connect_error', (error) => reject(error));
    socket.once('connect', () => {
      const join = (room: string) =>
        new Promise<{ ok: boolean }>((done) =>
          socket.emit('join_room' as never, { room } as never, done as never),
        );
      void (async () => {
        const joined = await join('dashboard');
        if (!joined.ok) return reject(new Error('scoped client could not join dashboard'));
        for (const id of spec.allowed) await join(`station_${id}`);
        client.forbiddenRefused = !(await join(`station_${spec.forbidden}`)).ok;
        resolve(client);
      })();
    });
  });
}

const dashboardLatency = { current: new Histogram(), shownAge: new Histogram(), other: new Histogram() };
const scopedLatency = { current: new Histogram() };
const measuring = { on: false, intervalMs: 0 };
const dashboards: LeanDashboard[] = [];
const scoped: ScopedClient[] = [];
let measureStart = 0;

function report(message: DashboardReport): void {
  process.send?.(message);
}

async function run(command: DashboardCommand): Promise<DashboardReport | undefined> {
  switch (command.type) {
    case 'connect': {
      const errors: string[] = [];
      let failed = 0;
      const lean = Array.from(
        { length: command.dashboards.count },
        () => new LeanDashboard(dashboardLatency, measuring),
      );
      const results = await Promise.allSettled([
        ...lean.map(async (client) => {
          await client.connect(command.url, command.dashboards.token);
          dashboards.push(client);
        }),
        ...command.scoped.map(async (spec) => {
          scoped.push(await connectScoped(command.url, spec, scopedLatency, measuring));
        }),
      ]);
      for (const result of results) {
        if (result.status === 'rejected') {
          failed += 1;
          if (errors.length < 5) errors.push(String((result.reason as Error).message));
        }
      }
      return { type: 'connected', dashboards: dashboards.length, scoped: scoped.length, failed, errors };
    }
    case 'measure':
      for (const client of dashboards) client.startMeasuring();
      for (const client of scoped) {
        client.events = 0;
        client.outOfScope = 0;
      }
      dashboardLatency.current = new Histogram();
      dashboardLatency.shownAge = new Histogram();
      dashboardLatency.other = new Histogram();
      scopedLatency.current = new Histogram();
      measuring.intervalMs = command.intervalMs;
      measuring.on = true;
      measureStart = performance.now();
      return { type: 'measuring' };
    case 'collect': {
      measuring.on = false;
      const counts = dashboards.map((client) => client.events);
      return {
        type: 'collected',
        elapsedMs: performance.now() - measureStart,
        dashboards: {
          clients: dashboards.length,
          events: counts.reduce((sum, count) => sum + count, 0),
          minPerClient: counts.length === 0 ? 0 : Math.min(...counts),
          maxPerClient: counts.length === 0 ? 0 : Math.max(...counts),
          latency: dashboardLatency.current.toData(),
          shownAge: dashboardLatency.shownAge.toData(),
          otherLatency: dashboardLatency.other.toData(),
          disconnected: dashboards.filter((client) => client.closed).length,
        },
        scoped: {
          clients: scoped.length,
          clientsWithEvents: scoped.filter((client) => client.events > 0).length,
          events: scoped.reduce((sum, client) => sum + client.events, 0),
          outOfScope: scoped.reduce((sum, client) => sum + client.outOfScope, 0),
          forbiddenRefused: scoped.filter((client) => client.forbiddenRefused).length,
          latency: scopedLatency.current.toData(),
        },
      };
    }
    case 'close':
      for (const client of dashboards) client.close();
      for (const client of scoped) client.socket.disconnect();
      process.disconnect?.();
      setTimeout(() => process.exit(0), 100).unref();
      return undefined;
  }
}

serveCommands(run, report);
