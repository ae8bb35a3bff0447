import { hostname } from 'node:os';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ConfigError,
  loadConfig,
  parseDuration,
  type DatabaseConfig,
  type LogLevel,
  type UnknownStationPolicy,
} from '../../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('has the contract defaults with no environment at all', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      database: { kind: 'sqlite', path: './data/cimorings.db' },
      redisUrl: null,
      nodeId: `${hostname()}-${process.pid}`,
      jwtSecret: null,
      jwtExpiresIn: 8 * 3600,
      adminPassword: null,
      adminPasswordFile: 'data/admin-password.txt',
      ocppUnknownStations: 'pending',
      ocppHeartbeatInterval: 300,
      ocppCallTimeoutMs: 30000,
      ocppPendingStationsMax: 200,
      ocppNewStationsPerMinute: 20,
      ocppBootTimeout: 60,
      ocppMaxFrameBytes: 65536,
      ocppLogRetentionDays: 30,
      ocppPublicUrl: null,
      meterValuesRetentionDays: 90,
      transactionStuckAfterMinutes: 60,
      loadManagementIntervalMs: 2000,
      tlsCertFile: null,
      tlsKeyFile: null,
      tlsClientCaFile: null,
      tlsProxyClientCertHeader: null,
      ocppCaCertFile: null,
      ocppCaKeyFile: null,
      ocppCertificateValidityDays: 365,
      ocppCertificateRenewalDays: 30,
      ocppFirmwareSigningCertFile: null,
      logLevel: 'info',
      trustProxy: [],
    });
  });

  it('takes the OCPP CA key with a certificate: its own or TLS_CLIENT_CA_FILE, never alone', () => {
    expect(problemsOf({ OCPP_CA_CERT_FILE: 'ca.pem' })).toEqual([
      'OCPP_CA_CERT_FILE needs OCPP_CA_KEY_FILE (the CA signs with its private key)',
    ]);
    expect(problemsOf({ OCPP_CA_KEY_FILE: 'ca.key' })).toEqual([
      'OCPP_CA_KEY_FILE needs OCPP_CA_CERT_FILE or TLS_CLIENT_CA_FILE (the certificate of the CA key)',
    ]);
    const tls = { TLS_CERT_FILE: 'c', TLS_KEY_FILE: 'k', TLS_CLIENT_CA_FILE: 'ca.pem' };
    expect(problemsOf({ ...tls, OCPP_CA_KEY_FILE: 'ca.key' })).toEqual([]);
    expect(
      problemsOf({ OCPP_CERTIFICATE_VALIDITY_DAYS: '0', OCPP_CERTIFICATE_RENEWAL_DAYS: '366' }),
    ).toHaveLength(2);
  });

  it('reads TRUST_PROXY as a list of addresses and CIDRs, and names a bad entry', () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,loopback' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      'loopback',
    ]);
    expect(problemsOf({ TRUST_PROXY: '10.0.0.1,not-an-address' })).toEqual([
      'TRUST_PROXY must list addresses or CIDRs separated by commas (bad: not-an-address)',
    ]);
  });

  it('bounds the admission limits of unknown charge points, naming each bad one', () => {
    expect(
      problemsOf({
        OCPP_PENDING_STATIONS_MAX: '0',
        OCPP_NEW_STATIONS_PER_MINUTE: '-1',
        OCPP_BOOT_TIMEOUT: '1h',
      }),
    ).toEqual([
      'OCPP_PENDING_STATIONS_MAX must be a whole number from 1 to 100000 (got "0")',
      'OCPP_NEW_STATIONS_PER_MINUTE must be a whole number from 1 to 100000 (got "-1")',
      'OCPP_BOOT_TIMEOUT must be a whole number from 1 to 3600 (got "1h")',
    ]);
  });

  it('bounds OCPP_MAX_FRAME_BYTES', () => {
    expect(loadConfig({ OCPP_MAX_FRAME_BYTES: '131072' }).ocppMaxFrameBytes).toBe(131072);
    expect(problemsOf({ OCPP_MAX_FRAME_BYTES: '100' })).toEqual([
      'OCPP_MAX_FRAME_BYTES must be a whole number from 4096 to 16777216 (got "100")',
    ]);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://cs:pw@db:5432/cimorings',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: 's'.repeat(32),
      JWT_EXPIRES_IN: '30m',
      ADMIN_PASSWORD: 'change-me-now',
      OCPP_UNKNOWN_STATIONS: 'accept',
      OCPP_HEARTBEAT_INTERVAL: '60',
      OCPP_CALL_TIMEOUT_MS: '5000',
      TRANSACTION_STUCK_AFTER_MINUTES: '15',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      database: { kind: 'postgres', url: 'postgres://cs:pw@db:5432/cimorings' },
      redisUrl: 'redis://cache:6379',
      jwtExpiresIn: 1800,
      adminPassword: 'change-me-now',
      ocppUnknownStations: 'accept',
      ocppHeartbeatInterval: 60,
      ocppCallTimeoutMs: 5000,
      transactionStuckAfterMinutes: 15,
      logLevel: 'debug',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['sqlite:./data/x.db', { kind: 'sqlite', path: './data/x.db' }],
    ['sqlite:/var/lib/cimorings.db', { kind: 'sqlite', path: '/var/lib/cimorings.db' }],
    ['sqlite:///var/lib/cimorings.db', { kind: 'sqlite', path: '/var/lib/cimorings.db' }],
    ['postgresql://u@h/d', { kind: 'postgres', url: 'postgresql://u@h/d' }],
  ])('understands DATABASE_URL %s', (url, expected) => {
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual(expected);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'sqlite:'],
    ['REDIS_URL', 'localhost:6379'],
    ['JWT_SECRET', 'short'],
    ['JWT_EXPIRES_IN', 'forever'],
    ['JWT_EXPIRES_IN', '0'],
    ['ADMIN_PASSWORD', 'abc'],
    ['ADMIN_PASSWORD', 'eleven-char'],
    ['OCPP_UNKNOWN_STATIONS', 'maybe'],
    ['OCPP_HEARTBEAT_INTERVAL', '0'],
    ['OCPP_HEARTBEAT_INTERVAL', '1.5'],
    ['OCPP_CALL_TIMEOUT_MS', 'soon'],
    ['TRANSACTION_STUCK_AFTER_MINUTES', '0'],
    ['TRANSACTION_STUCK_AFTER_MINUTES', 'an hour'],
    ['METER_VALUES_RETENTION_DAYS', '-1'],
    ['METER_VALUES_RETENTION_DAYS', '36501'],
    ['METER_VALUES_RETENTION_DAYS', 'ninety'],
    ['LOG_LEVEL', 'loud'],
  ])('names %s when it is %s', (name, value) => {
    const problems = problemsOf({ JWT_SECRET: 's'.repeat(32), [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} `));
  });

  it('names every bad variable at once, in one line', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', OCPP_UNKNOWN_STATIONS: 'maybe' });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['PORT', 'OCPP_UNKNOWN_STATIONS', 'LOG_LEVEL']);
    const message = new ConfigError(problems).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/PORT.*OCPP_UNKNOWN_STATIONS.*LOG_LEVEL/);
  });

  it('never repeats a secret in its message', () => {
    const problems = problemsOf({ JWT_SECRET: 'tiny-secret', ADMIN_PASSWORD: 'pw1' });
    expect(problems.join(' ')).not.toMatch(/tiny-secret|pw1/);
  });

  it('requires JWT_SECRET when REDIS_URL is set, since every node must share it', () => {
    expect(
      problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://cs@db:5432/cimorings' }),
    ).toEqual([expect.stringMatching(/^JWT_SECRET .*REDIS_URL/)]);
  });

  it('refuses REDIS_URL with a SQLite database, set or by default, in one line', () => {
    const shared = { REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: 's'.repeat(32) };
    const refusal = 'REDIS_URL needs a PostgreSQL DATABASE_URL: several nodes cannot share a SQLite database';
    expect(problemsOf({ ...shared, DATABASE_URL: 'sqlite:./data/x.db' })).toEqual([refusal]);
    expect(problemsOf(shared)).toEqual([refusal]);
    expect(problemsOf({ ...shared, DATABASE_URL: 'postgres://cs@db:5432/cimorings' })).toEqual([]);
  });

  it('names the node by NODE_ID, by default its host name and process id', () => {
    expect(loadConfig({ NODE_ID: 'node-a' }).nodeId).toBe('node-a');
    expect(loadConfig({}).nodeId).toBe(`${hostname()}-${process.pid}`);
    expect(problemsOf({ NODE_ID: 'has space' })).toEqual([expect.stringMatching(/^NODE_ID /)]);
  });

  it('types each value as the schema decodes it, and freezes the lists', () => {
    const config = loadConfig({ TRUST_PROXY: 'loopback' });
    expectTypeOf(config.port).toEqualTypeOf<number>();
    expectTypeOf(config.database).toEqualTypeOf<DatabaseConfig>();
    expectTypeOf(config.redisUrl).toEqualTypeOf<string | null>();
    expectTypeOf(config.adminPasswordFile).toEqualTypeOf<string>();
    expectTypeOf(config.ocppUnknownStations).toEqualTypeOf<UnknownStationPolicy>();
    expectTypeOf(config.logLevel).toEqualTypeOf<LogLevel>();
    expectTypeOf(config.trustProxy).toEqualTypeOf<readonly string[]>();
    expect(Object.isFrozen(config.trustProxy)).toBe(true);
    expect(config.trustProxy).toEqual(['loopback']);
  });

  it('counts the length of a password in characters, as the API does, not in UTF-16 units', () => {
    expect(problemsOf({ ADMIN_PASSWORD: '🔑'.repeat(11) })).toEqual([
      'ADMIN_PASSWORD must be at least 12 characters',
    ]);
    expect(loadConfig({ ADMIN_PASSWORD: '🔑'.repeat(12) }).adminPassword).toBe('🔑'.repeat(12));
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: ' ' }).port).toBe(3000);
  });

  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['30m', 1800],
    ['8h', 28800],
    ['7d', 604800],
    ['8x', null],
    ['', null],
    ['-5m', null],
  ])('parses the duration %s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
});
