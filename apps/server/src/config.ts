/**
 * Configuration: read once at start from the environment (CONTRACT section 1), validated as a
 * whole so that every bad variable is named in one line, then frozen. Nothing else in the
 * server reads `process.env`.
 */

import { dirname, join } from 'node:path';
import proxyAddr from '@fastify/proxy-addr';
import { MIN_PASSWORD_LENGTH, parseDurationMs, type DurationSyntax } from '@cimorings/contracts';

export const UNKNOWN_STATION_POLICIES = ['accept', 'pending', 'reject'] as const;
export type UnknownStationPolicy = (typeof UNKNOWN_STATION_POLICIES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** `redis://` URL; unset runs a single node with in-memory coordination. */
  redisUrl: string | null;
  /** HMAC key for tokens; `null` means generated once and stored with the data. */
  jwtSecret: string | null;
  /** Token lifetime in seconds (default 8 h). */
  jwtExpiresIn: number;
  /** Password of the `admin` user created on an empty database; `null`: generate and print. */
  adminPassword: string | null;
  /**
   * Where a generated admin password is written when stderr is not a terminal (mode 0600);
   * default `admin-password.txt` next to the SQLite database, or `./data/admin-password.txt`.
   */
  adminPasswordFile: string;
  ocppUnknownStations: UnknownStationPolicy;
  /** Seconds, sent in BootNotification.conf (default 300). */
  ocppHeartbeatInterval: number;
  /** Milliseconds a command to a charge point waits for its answer (default 30000). */
  ocppCallTimeoutMs: number;
  /**
   * Most unknown stations awaiting approval under `pending` (default 200); past it, new unknown
   * charge points are refused until some are approved or deleted.
   */
  ocppPendingStationsMax: number;
  /**
   * New unknown charge points admitted per minute from one source address, in bursts of as many
   * (default 20; per node). Counts upgrades with an id that is not registered.
   */
  ocppNewStationsPerMinute: number;
  /** Seconds an unknown charge point has to send its BootNotification before it is closed (default 60). */
  ocppBootTimeout: number;
  /**
   * Largest WebSocket frame (message) a charge point may send, in bytes (default 64 KiB); a
   * bigger one closes its connection with 1009.
   */
  ocppMaxFrameBytes: number;
  /** Days OCPP frames stay in the message log (default 30); 0 keeps no log. */
  ocppLogRetentionDays: number;
  /**
   * Minutes without a meter value of an active transaction or a heartbeat of its station after
   * which the transaction counts as stuck (default 60).
   */
  transactionStuckAfterMinutes: number;
  logLevel: LogLevel;
  /**
   * Addresses or CIDRs of reverse proxies whose `X-Forwarded-For` is believed as the client
   * address (throttling, logs, audit); empty (the default) believes no proxy.
   */
  trustProxy: readonly string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** The smallest JWT_SECRET accepted: 32 characters, as RFC 7518 §3.2 asks 256 bits for HS256. */
const MIN_SECRET_LENGTH = 32;

/** JWT_EXPIRES_IN: `3600`, `90s`, `30m`, `8 h` or `7d`; a bare number is seconds. */
const LIFETIME_SYNTAX: DurationSyntax = {
  units: ['s', 'm', 'h', 'd'],
  bareUnit: 's',
  decimals: false,
  spaced: true,
};

/** Parses `3600`, `90s`, `30m`, `8h` or `7d` into whole seconds; `null` when malformed or 0. */
export function parseDuration(text: string): number | null {
  const ms = parseDurationMs(text, LIFETIME_SYNTAX);
  return ms !== null && ms > 0 ? ms / 1000 : null;
}

function parseDatabaseUrl(text: string): DatabaseConfig | null {
  if (text.startsWith('sqlite:')) {
    const path = text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return path ? { kind: 'sqlite', path } : null;
  }
  if (/^postgres(ql)?:\/\/[^/]/.test(text)) {
    try {
      new URL(text);
      return { kind: 'postgres', url: text };
    } catch {
      return null;
    }
  }
  return null;
}

/** The TRUST_PROXY entries that are not an address, a CIDR or a proxy-addr keyword. */
function invalidProxyEntries(entries: readonly string[]): string[] {
  return entries.filter((entry) => {
    try {
      proxyAddr.compile(entry);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * Builds the configuration from an environment. Empty values count as unset.
 * @throws ConfigError naming every bad variable (secrets are named, never echoed).
 */
export function loadConfig(env: Env): Readonly<Config> {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const text = read(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${text}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const text = read(name);
    if (text === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(text)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${text}")`);
      return fallback;
    }
    return text as T;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const host = read('HOST') ?? '0.0.0.0';

  const databaseText = read('DATABASE_URL') ?? 'sqlite:./data/cimorings.db';
  const database = parseDatabaseUrl(databaseText);
  if (!database) {
    problems.push('DATABASE_URL must be sqlite:PATH or postgres://USER@HOST:PORT/DATABASE');
  }

  const redisUrl = read('REDIS_URL') ?? null;
  if (redisUrl !== null && !/^rediss?:\/\/./.test(redisUrl)) {
    problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  }

  const jwtSecret = read('JWT_SECRET') ?? null;
  if (jwtSecret !== null && jwtSecret.length < MIN_SECRET_LENGTH) {
    problems.push(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (jwtSecret === null && redisUrl !== null) {
    problems.push('JWT_SECRET is required when REDIS_URL is set (every node must share it)');
  }

  const expiresText = read('JWT_EXPIRES_IN') ?? '8h';
  const jwtExpiresIn = parseDuration(expiresText);
  if (jwtExpiresIn === null) {
    problems.push(`JWT_EXPIRES_IN must be a duration like 3600, 30m, 8h or 7d (got "${expiresText}")`);
  }

  const adminPassword = read('ADMIN_PASSWORD') ?? null;
  if (adminPassword !== null && adminPassword.length < MIN_PASSWORD_LENGTH) {
    problems.push(`ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }

  const trustProxy = (read('TRUST_PROXY') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const badProxies = invalidProxyEntries(trustProxy);
  if (badProxies.length > 0) {
    problems.push(
      `TRUST_PROXY must list addresses or CIDRs separated by commas (bad: ${badProxies.join(', ')})`,
    );
  }

  const config: Config = {
    port,
    host,
    database: database ?? { kind: 'sqlite', path: './data/cimorings.db' },
    redisUrl,
    jwtSecret,
    jwtExpiresIn: jwtExpiresIn ?? 8 * 3600,
    adminPassword,
    adminPasswordFile:
      read('ADMIN_PASSWORD_FILE') ??
      join(database?.kind === 'sqlite' ? dirname(database.path) : './data', 'admin-password.txt'),
    ocppUnknownStations: oneOf('OCPP_UNKNOWN_STATIONS', UNKNOWN_STATION_POLICIES, 'pending'),
    ocppHeartbeatInterval: integer('OCPP_HEARTBEAT_INTERVAL', 300, 1, 86400),
    ocppCallTimeoutMs: integer('OCPP_CALL_TIMEOUT_MS', 30000, 100, 600000),
    ocppPendingStationsMax: integer('OCPP_PENDING_STATIONS_MAX', 200, 1, 100000),
    ocppNewStationsPerMinute: integer('OCPP_NEW_STATIONS_PER_MINUTE', 20, 1, 100000),
    ocppBootTimeout: integer('OCPP_BOOT_TIMEOUT', 60, 1, 3600),
    ocppMaxFrameBytes: integer('OCPP_MAX_FRAME_BYTES', 65536, 4096, 16 * 1024 * 1024),
    ocppLogRetentionDays: integer('OCPP_LOG_RETENTION_DAYS', 30, 0, 3650),
    transactionStuckAfterMinutes: integer('TRANSACTION_STUCK_AFTER_MINUTES', 60, 1, 10080),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    trustProxy: Object.freeze(trustProxy),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
