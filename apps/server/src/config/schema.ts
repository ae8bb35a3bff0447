/**
 * The configuration, declared once: every environment variable with its TypeBox type (ranges,
 * patterns, values), default and description. `loadConfig` validates and decodes with it, the
 * error line, `--help` and the configuration table of the README and docs/ are written from it.
 * The variable names are the public contract (CONTRACT section 1): never rename one.
 */

import { MIN_PASSWORD_LENGTH } from '@cimorings/contracts';
import { Type, type StaticDecode } from 'typebox';
import {
  invalidProxyEntries,
  LOG_LEVELS,
  parseDatabaseUrl,
  parseDuration,
  parsedText,
  proxyEntries,
  UNKNOWN_STATION_POLICIES,
  unsetOr,
  variable,
  wholeNumber,
} from './variables.js';

/** Every variable, keyed by its name in the typed configuration, in the order the docs list them. */
export const CONFIG_SCHEMA = Type.Object({
  port: wholeNumber('PORT', 0, 65535, 3000, 'the single listening port'),
  host: variable(Type.String(), {
    env: 'HOST',
    default: '0.0.0.0',
    accepts: 'an address or host name',
    description: 'listen address',
  }),
  database: variable(parsedText(parseDatabaseUrl), {
    env: 'DATABASE_URL',
    default: 'sqlite:./data/cimorings.db',
    accepts: 'sqlite:PATH or postgres://USER@HOST:PORT/DATABASE',
    secret: true,
    description:
      '`sqlite:PATH` (embedded, created on first start) or `postgres://USER:PASSWORD@HOST:PORT/DATABASE`',
  }),
  redisUrl: variable(unsetOr(Type.String({ pattern: '^rediss?://.' })), {
    env: 'REDIS_URL',
    default: null,
    accepts: 'a redis:// or rediss:// URL',
    secret: true,
    description:
      'share state between several nodes behind a load balancer; unset runs one node with in-memory coordination',
  }),
  nodeId: variable(unsetOr(Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$' })), {
    env: 'NODE_ID',
    default: null,
    defaultText: 'host name and process id',
    accepts: '1 to 64 letters, digits, `.`, `_`, `:` or `-`',
    description:
      'names this node in logs, metrics and `GET /api/cluster`; unique among the nodes sharing `REDIS_URL`',
  }),
  // 32 characters at least: RFC 7518 §3.2 asks for a 256-bit key for HS256.
  jwtSecret: variable(unsetOr(Type.String({ minLength: 32 })), {
    env: 'JWT_SECRET',
    default: null,
    defaultText: 'generated once, stored in the database',
    secret: true,
    description: 'HMAC key for tokens; required with `REDIS_URL`, since every node must share it',
  }),
  jwtExpiresIn: variable(parsedText(parseDuration), {
    env: 'JWT_EXPIRES_IN',
    default: '8h',
    accepts: 'a duration like 3600, 30m, 8h or 7d',
    description: 'token lifetime: seconds, or a number with the unit `s`, `m`, `h` or `d`',
  }),
  adminPassword: variable(unsetOr(Type.String({ minLength: MIN_PASSWORD_LENGTH })), {
    env: 'ADMIN_PASSWORD',
    default: null,
    defaultText: 'generated, shown once',
    secret: true,
    description: 'password of the `admin` user created on an empty database; ignored once users exist',
  }),
  // Unset is resolved by loadConfig: the default depends on DATABASE_URL.
  adminPasswordFile: variable(unsetOr(Type.String()), {
    env: 'ADMIN_PASSWORD_FILE',
    default: null,
    defaultText: '`admin-password.txt` beside the SQLite database (`./data/` on PostgreSQL)',
    accepts: 'a file path',
    description:
      'where the generated admin password is written (mode 0600) when standard error is not a terminal; the logs name the path, never the password',
  }),
  ocppUnknownStations: variable(Type.Enum(UNKNOWN_STATION_POLICIES), {
    env: 'OCPP_UNKNOWN_STATIONS',
    default: 'pending',
    description:
      '`accept` (register), `pending` (register and wait for approval: BootNotification answers `Pending`) or `reject` (refuse the upgrade) unknown charge points',
  }),
  ocppHeartbeatInterval: wholeNumber(
    'OCPP_HEARTBEAT_INTERVAL',
    1,
    86400,
    300,
    'seconds, sent to charge points in BootNotification.conf',
  ),
  ocppPendingStationsMax: wholeNumber(
    'OCPP_PENDING_STATIONS_MAX',
    1,
    100000,
    200,
    'most unknown stations awaiting approval; past it new unknown charge points get 429 at the upgrade, or BootNotification `Rejected`',
  ),
  ocppNewStationsPerMinute: wholeNumber(
    'OCPP_NEW_STATIONS_PER_MINUTE',
    1,
    100000,
    20,
    'new unknown charge points admitted per minute from one client address (an IPv6 client as its /64; `TRUST_PROXY` honoured; per node), then 429 at the upgrade; known stations are never limited',
  ),
  ocppBootTimeout: wholeNumber(
    'OCPP_BOOT_TIMEOUT',
    1,
    3600,
    60,
    'seconds an unknown charge point has to send its BootNotification before its socket is closed',
  ),
  ocppCallTimeoutMs: wholeNumber(
    'OCPP_CALL_TIMEOUT_MS',
    100,
    600000,
    30000,
    'milliseconds a command to a charge point waits for its answer; also the longest wait of a query for a free PostgreSQL connection while all are busy',
  ),
  ocppMaxFrameBytes: wholeNumber(
    'OCPP_MAX_FRAME_BYTES',
    4096,
    16 * 1024 * 1024,
    65536,
    'largest WebSocket frame a charge point may send, in bytes; a bigger one closes its connection with 1009 and is logged',
  ),
  ocppLogRetentionDays: wholeNumber(
    'OCPP_LOG_RETENTION_DAYS',
    0,
    3650,
    30,
    'days every OCPP frame stays in the message log; `0` keeps no log',
  ),
  meterValuesRetentionDays: wholeNumber(
    'METER_VALUES_RETENTION_DAYS',
    0,
    36500,
    90,
    "days raw meter values are kept; older ones are condensed into 15-minute aggregates kept with their transaction (a register's last value, any other quantity's mean, lowest and highest); `0` keeps every raw value",
  ),
  transactionStuckAfterMinutes: wholeNumber(
    'TRANSACTION_STUCK_AFTER_MINUTES',
    1,
    10080,
    60,
    'minutes without a meter value or heartbeat after which an active transaction is listed as stuck',
  ),
  loadManagementIntervalMs: wholeNumber(
    'LOAD_MANAGEMENT_INTERVAL_MS',
    100,
    5000,
    2000,
    'milliseconds between two passes of site load management over every site with a limit (schedule boundaries, retries); sessions starting or stopping, meter values and limit changes are handled at once',
  ),
  tlsCertFile: variable(unsetOr(Type.String()), {
    env: 'TLS_CERT_FILE',
    default: null,
    accepts: 'a file path',
    description:
      'PEM certificate chain: with `TLS_KEY_FILE`, HTTPS, WSS and Socket.IO are served on `PORT` over TLS 1.2 or later; both files are re-read when they change, without a restart',
  }),
  tlsKeyFile: variable(unsetOr(Type.String()), {
    env: 'TLS_KEY_FILE',
    default: null,
    accepts: 'a file path',
    description: 'PEM private key of `TLS_CERT_FILE`',
  }),
  tlsClientCaFile: variable(unsetOr(Type.String()), {
    env: 'TLS_CLIENT_CA_FILE',
    default: null,
    accepts: 'a file path',
    description:
      'PEM CA certificates: the server asks for a client certificate and the OCPP endpoint accepts those issued by this CA (security profile 3); browsers without one still reach the dashboard and API',
  }),
  tlsProxyClientCertHeader: variable(unsetOr(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' })), {
    env: 'TLS_PROXY_CLIENT_CERT_HEADER',
    default: null,
    accepts: 'a header name',
    description:
      'behind a TLS-terminating proxy: the header in which it passes the client certificate it verified (PEM or base64 DER, URL-encoded or not) for security profile 3; believed only from `TRUST_PROXY` addresses; unset reads none',
  }),
  ocppPublicUrl: variable(
    // ocppCsmsUrl holds 512 characters; credentials in it would go to every station raised.
    unsetOr(Type.String({ maxLength: 512, pattern: '^wss?://[^/?#@\\s]+(/[^?#\\s]*)?$' })),
    {
      env: 'OCPP_PUBLIC_URL',
      default: null,
      accepts: 'a ws:// or wss:// URL without query',
      description:
        'the OCPP endpoint as charge points reach it, without their identity (e.g. `wss://csms.example.com/ocpp`): the `ocppCsmsUrl` sent with `SetNetworkProfile` when the security profile of a connected OCPP 2.0.1/2.1 station is raised (wss:// for profiles 2 and 3); unset: such a raise is refused',
    },
  ),
  ocppCaCertFile: variable(unsetOr(Type.String()), {
    env: 'OCPP_CA_CERT_FILE',
    default: null,
    defaultText: '`TLS_CLIENT_CA_FILE`',
    accepts: 'a file path',
    description:
      'PEM certificate of the CA that signs the certificates charge points ask for with `SignCertificate` (security profile 3); with `OCPP_CA_KEY_FILE`. Unset: `TLS_CLIENT_CA_FILE` when `OCPP_CA_KEY_FILE` is set, else no CA (every `SignCertificate` is answered `Rejected`)',
  }),
  ocppCaKeyFile: variable(unsetOr(Type.String()), {
    env: 'OCPP_CA_KEY_FILE',
    default: null,
    accepts: 'a file path',
    description: 'PEM private key (RSA or EC P-256/P-384) of the OCPP CA certificate',
  }),
  ocppCertificateValidityDays: wholeNumber(
    'OCPP_CERTIFICATE_VALIDITY_DAYS',
    1,
    3650,
    365,
    'days a charge point certificate signed by the OCPP CA is valid',
  ),
  ocppCertificateRenewalDays: wholeNumber(
    'OCPP_CERTIFICATE_RENEWAL_DAYS',
    1,
    365,
    30,
    'days before a signed charge point certificate expires from which its connected station is asked to renew it (`ExtendedTriggerMessage SignChargePointCertificate`, at most once a day)',
  ),
  ocppFirmwareSigningCertFile: variable(unsetOr(Type.String()), {
    env: 'OCPP_FIRMWARE_SIGNING_CERT_FILE',
    default: null,
    accepts: 'a file path',
    description:
      'PEM certificate of the firmware signer: sent as `firmware.signingCertificate` of a `SignedUpdateFirmware` command whose body leaves it out',
  }),
  logLevel: variable(Type.Enum(LOG_LEVELS), { env: 'LOG_LEVEL', default: 'info', description: 'log level' }),
  trustProxy: variable(
    Type.Decode(
      Type.Refine(Type.String(), (text) => invalidProxyEntries(text).length === 0),
      (text): readonly string[] => Object.freeze(proxyEntries(text)),
    ),
    {
      env: 'TRUST_PROXY',
      default: '',
      defaultText: 'unset',
      accepts: 'addresses or CIDRs separated by commas',
      problem: (text) =>
        `must list addresses or CIDRs separated by commas (bad: ${invalidProxyEntries(text).join(', ')})`,
      description:
        'reverse proxies whose `X-Forwarded-For` is believed as the client address (throttling, logs, audit); unset believes no proxy',
    },
  ),
});

/** The configuration as the schema decodes it, before defaults that depend on other variables. */
export type Settings = StaticDecode<typeof CONFIG_SCHEMA>;

function needs(env: string, other: string, reason: string) {
  return (isSet: (env: string) => boolean) =>
    isSet(env) && !isSet(other) ? `${env} needs ${other} (${reason})` : null;
}

/**
 * Rules between variables, checked after each variable on its own. Each gets whether a variable
 * is set and its text, and returns the problem, or `null`.
 */
export const CONFIG_RULES: readonly ((
  isSet: (env: string) => boolean,
  read: (env: string) => string | undefined,
) => string | null)[] = [
  (isSet) =>
    isSet('REDIS_URL') && !isSet('JWT_SECRET')
      ? 'JWT_SECRET is required when REDIS_URL is set (every node must share it)'
      : null,
  needs('TLS_CERT_FILE', 'TLS_KEY_FILE', 'the private key of the certificate'),
  needs('TLS_KEY_FILE', 'TLS_CERT_FILE', 'the certificate of the key'),
  needs('TLS_CLIENT_CA_FILE', 'TLS_CERT_FILE', 'client certificates are asked for over TLS'),
  needs('TLS_PROXY_CLIENT_CERT_HEADER', 'TRUST_PROXY', 'the header is believed only from the proxy'),
  needs('OCPP_CA_CERT_FILE', 'OCPP_CA_KEY_FILE', 'the CA signs with its private key'),
  (isSet) =>
    isSet('OCPP_CA_KEY_FILE') && !isSet('OCPP_CA_CERT_FILE') && !isSet('TLS_CLIENT_CA_FILE')
      ? 'OCPP_CA_KEY_FILE needs OCPP_CA_CERT_FILE or TLS_CLIENT_CA_FILE (the certificate of the CA key)'
      : null,
  // Nodes sharing Redis share one database: an embedded SQLite file cannot be shared. (A
  // malformed REDIS_URL is named on its own.)
  (_isSet, read) =>
    /^rediss?:\/\/./.test(read('REDIS_URL') ?? '') &&
    (read('DATABASE_URL') ?? 'sqlite:').startsWith('sqlite:')
      ? 'REDIS_URL needs a PostgreSQL DATABASE_URL: several nodes cannot share a SQLite database'
      : null,
];
