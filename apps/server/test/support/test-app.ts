import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Clock, Timers } from '../../src/domain/clock.js';
import type { DomainEvent } from '../../src/domain/events.js';
import type { EventBus } from '../../src/cluster/event-bus.js';
import type { RealtimeSettings } from '../../src/realtime/io.js';
import type { DataTransferService } from '../../src/services/data-transfer.service.js';
import type { DeviceModelService } from '../../src/services/device-model.service.js';
import type { PasswordHasher } from '../../src/services/password-hasher.js';
import type { LoginResponse } from '@cimorings/contracts';

export const ADMIN_PASSWORD = 'admin-password-1';

export interface TestAppOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  clock?: Clock;
  /** Timers on `clock`'s time (real ones otherwise), e.g. a simulated clock's. */
  timers?: Timers;
  /** The password hasher (argon2 otherwise), e.g. one that counts the hashes computed. */
  hasher?: PasswordHasher;
  dashboardRoot?: string;
  /** Receives every log line, to check what reaches the logs. */
  logLines?: string[];
  /** How often the reservation expiry job runs, in ms (the app's default otherwise). */
  reservationExpiryIntervalMs?: number;
  /** How often certificates near their expiry are looked for, in ms (the app's default otherwise). */
  certificateRenewalIntervalMs?: number;
  /** Real-time limits other than the app's defaults. */
  realtimeSettings?: Partial<RealtimeSettings>;
  /** The port to listen on (a free one otherwise), for a URL the configuration must name. */
  port?: number;
}

/** A real server listening on a free port of 127.0.0.1, and helpers to call it over HTTP. */
export interface TestApp {
  url: string;
  /** The server's domain event bus, to watch what happened or publish in tests. */
  events: EventBus;
  /** Where vendor DataTransfer handlers are registered. */
  dataTransfer: DataTransferService;
  /** The device models stations reported (NotifyReport). */
  deviceModel: DeviceModelService;
  announcedPasswords: string[];
  /** Every domain event published since the app was built, also those of its start-up work. */
  publishedEvents: DomainEvent[];
  close(): Promise<void>;
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  login(username?: string, password?: string): Promise<LoginResponse>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // Tests read what they expect; the shape is checked by their assertions.
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/**
 * With Redis, password-guess counts outlive a test and are shared by every test of the run (and
 * of earlier runs on the same Redis): an app on Redis sees its HTTP clients at an address of its
 * own, through a trusted proxy, so that failures counted for 127.0.0.1 elsewhere cannot throttle
 * its logins. Tests that choose addresses themselves set X-Forwarded-For, or TRUST_PROXY.
 */
function ownClientAddress(env: Record<string, string> | undefined): Record<string, string> {
  if (!env?.REDIS_URL || env.TRUST_PROXY !== undefined) return {};
  return { 'x-forwarded-for': `10.${randomBytes(3).join('.')}` };
}

/**
 * Two nodes sharing Redis and one PostgreSQL database (`databaseUrl`), accepting unknown
 * stations, as the cluster tests start them.
 */
export async function startTwoNodes(databaseUrl: string, redisUrl: string): Promise<[TestApp, TestApp]> {
  const env = {
    REDIS_URL: /^rediss?:\/\//.test(redisUrl) ? redisUrl : 'redis://127.0.0.1:6379',
    JWT_SECRET: randomBytes(32).toString('hex'),
    OCPP_UNKNOWN_STATIONS: 'accept',
  };
  const nodeA = await startTestApp({ databaseUrl, env });
  try {
    return [nodeA, await startTestApp({ databaseUrl, env })];
  } catch (error) {
    await nodeA.close();
    throw error;
  }
}

export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const clientHeaders = ownClientAddress(options.env);
  const config = loadConfig({
    ...(clientHeaders['x-forwarded-for'] && { TRUST_PROXY: '127.0.0.1' }),
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl,
    ADMIN_PASSWORD,
    LOG_LEVEL: options.logLines ? 'info' : 'silent',
    // Several apps run in one test process: the default (host name and pid) would be shared.
    NODE_ID: `test-${randomBytes(4).toString('hex')}`,
    ...options.env,
  });
  const lines = options.logLines;
  const logger = lines
    ? pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
    : pino({ level: 'silent' });
  const announcedPasswords: string[] = [];
  const { server, databaseReady, events, dataTransfer, deviceModel } = await buildApp(config, {
    logger,
    ...(options.clock && { clock: options.clock }),
    ...(options.timers && { timers: options.timers }),
    ...(options.hasher && { hasher: options.hasher }),
    ...(options.dashboardRoot !== undefined && { dashboardRoot: options.dashboardRoot }),
    ...(options.reservationExpiryIntervalMs !== undefined && {
      reservationExpiryIntervalMs: options.reservationExpiryIntervalMs,
    }),
    ...(options.certificateRenewalIntervalMs !== undefined && {
      certificateRenewalIntervalMs: options.certificateRenewalIntervalMs,
    }),
    ...(options.realtimeSettings && { realtimeSettings: options.realtimeSettings }),
    announceAdminPassword: (password) => announcedPasswords.push(password),
  });
  const publishedEvents: DomainEvent[] = [];
  events.subscribe((event) => void publishedEvents.push(event));
  const address = await server.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  await databaseReady;

  const request: TestApp['request'] = async (method, path, { token, body, headers } = {}) => {
    const response = await fetch(address + path, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
        ...clientHeaders,
        ...headers,
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  return {
    url: address,
    events,
    dataTransfer,
    deviceModel,
    announcedPasswords,
    publishedEvents,
    close: () => server.close(),
    request,
    async login(username = 'admin', password = ADMIN_PASSWORD) {
      const response = await request('POST', '/api/auth/login', { body: { username, password } });
      if (response.status !== 200)
        throw new Error(`login as ${username} failed: ${response.status} ${response.text}`);
      return response.body as LoginResponse;
    },
  };
}

/** A port free on 127.0.0.1 just now (the OS picks it), for a server that must know its URL first. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A clock that tests move by hand. */
export class ManualClock implements Clock {
  constructor(private time = Date.parse('2026-01-11T14:30:00.000Z')) {}
  now(): Date {
    return new Date(this.time);
  }
  advance(ms: number): void {
    this.time += ms;
  }
}
