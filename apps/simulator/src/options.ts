import { realTime, type SimulatorTime } from './time.js';

/** Severity of a simulator log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Receives the simulator's log lines; the message never ends with a newline. */
export type LogFn = (level: LogLevel, message: string) => void;

/** Exponential reconnect backoff: `initialDelayMs × factor^attempt`, ± `jitter`, capped at `maxDelayMs`. */
export interface ReconnectOptions {
  /** First delay in milliseconds. Default 1000. */
  initialDelayMs?: number;
  /** Upper bound of any delay in milliseconds. Default 30000. */
  maxDelayMs?: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /** Random spread as a fraction of the delay (0 to 1), so many stations do not retry in step. Default 0.25. */
  jitter?: number;
}

/** Everything a {@link SimulatedChargePoint} can be told; only `id` and `url` are required. */
export interface ChargePointOptions {
  /** Charge point identity (`chargePointId`), appended to `url` as the last path segment. */
  id: string;
  /** WebSocket base URL of the central system, e.g. `ws://localhost:3000/ocpp`. */
  url: string;
  /** HTTP Basic auth password (security profile 1); none is sent when absent. */
  password?: string;
  /** Over `wss://` (security profiles 2 and 3): the CA to trust and a client certificate and key, PEM. */
  tls?: TlsOptions;
  /** Number of connectors, numbered from 1. Default 2. */
  connectors?: number;
  /** Id tag used when a session is started without one. Default `SIMTAG`. */
  idTag?: string;
  /** Interval between periodic MeterValues of a running session, in milliseconds. Default 10000. */
  meterIntervalMs?: number;
  /** BootNotification `chargePointVendor`. Default `CIMORINGS`. */
  vendor?: string;
  /** BootNotification `chargePointModel`. Default `Simulator`. */
  model?: string;
  /** BootNotification `chargePointSerialNumber`. Default `SN-{id}` (cut to 25 characters). */
  chargePointSerialNumber?: string;
  /** BootNotification `chargeBoxSerialNumber`. Not sent by default. */
  chargeBoxSerialNumber?: string;
  /** BootNotification `meterSerialNumber`. Not sent by default. */
  meterSerialNumber?: string;
  /** BootNotification `firmwareVersion`. Default `1.0.0`. */
  firmwareVersion?: string;
  /** Maximum charging power in kW, one value for all connectors or one per connector. Default 11. */
  powerKw?: number | readonly number[];
  /** State of charge of each EV that plugs in, in percent. Default 20. */
  initialSoc?: number;
  /** Battery capacity of the simulated EVs, in kWh. Default 60. */
  batteryCapacityKwh?: number;
  /** Energy register of every connector's meter at start, in Wh. Default 0. */
  initialEnergyWh?: number;
  /** Reconnect backoff after the socket drops or a connection attempt fails. */
  reconnect?: ReconnectOptions;
  /** Wait before the next BootNotification when the central system gave interval 0 or did not answer, in milliseconds. Default 30000. */
  bootRetryMs?: number;
  /** How long a request waits for its confirmation, in milliseconds. Default 30000. */
  callTimeoutMs?: number;
  /** WebSocket ping interval in milliseconds, 0 for none. Default 30000. */
  pingIntervalMs?: number;
  /** Duration of each simulated step of a diagnostics upload or firmware update, in milliseconds. Default 1000. */
  fileTransferStepMs?: number;
  /** Receives log lines; nothing is logged when absent. */
  log?: LogFn;
  /**
   * The clock and timers of meters, sessions, charging profiles and periodic samples (e.g. a
   * simulated clock shared with the server). Default: real time.
   */
  time?: SimulatorTime;
  /**
   * The OCPP version. A `SimulatedChargePoint` speaks `1.6` (the default) and refuses another;
   * `createSimulatedStation` builds a `SimulatedChargingStation` for `2.0.1` and `2.1`.
   */
  protocol?: '1.6' | '2.0.1' | '2.1';
}

/** What a `wss://` connection trusts and presents (PEM texts). */
export interface TlsOptions {
  /** The CA of the central system's certificate; the system's trusted CAs when absent. */
  ca?: string;
  /** A client certificate (chain) for security profile 3, with its `key`. */
  cert?: string;
  key?: string;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  readonly id: string;
  readonly url: string;
  readonly password: string | undefined;
  readonly tls: TlsOptions;
  readonly connectors: number;
  readonly idTag: string;
  readonly meterIntervalMs: number;
  readonly boot: {
    chargePointVendor: string;
    chargePointModel: string;
    chargePointSerialNumber: string;
    chargeBoxSerialNumber?: string;
    meterSerialNumber?: string;
    firmwareVersion: string;
  };
  readonly powerKw: readonly number[];
  readonly initialSoc: number;
  readonly batteryCapacityKwh: number;
  readonly initialEnergyWh: number;
  readonly reconnect: Required<ReconnectOptions>;
  readonly bootRetryMs: number;
  readonly callTimeoutMs: number;
  readonly pingIntervalMs: number;
  readonly fileTransferStepMs: number;
  readonly log: LogFn;
  readonly time: SimulatorTime;
}

/** Fills in defaults and checks ranges; throws a `RangeError` naming the first bad option. */
export function resolveOptions(options: ChargePointOptions): ResolvedOptions {
  const connectors = options.connectors ?? 2;
  const power = options.powerKw ?? 11;
  const perConnector = Array.from({ length: connectors }, (_, i) =>
    typeof power === 'number' ? power : (power[i] ?? power[power.length - 1] ?? 11),
  );
  const resolved: ResolvedOptions = {
    id: options.id,
    url: options.url.replace(/\/+$/, ''),
    password: options.password,
    tls: options.tls ?? {},
    connectors,
    idTag: options.idTag ?? 'SIMTAG',
    meterIntervalMs: options.meterIntervalMs ?? 10_000,
    boot: {
      chargePointVendor: options.vendor ?? 'CIMORINGS',
      chargePointModel: options.model ?? 'Simulator',
      chargePointSerialNumber: options.chargePointSerialNumber ?? `SN-${options.id}`.slice(0, 25),
      ...(options.chargeBoxSerialNumber === undefined
        ? {}
        : { chargeBoxSerialNumber: options.chargeBoxSerialNumber }),
      ...(options.meterSerialNumber === undefined ? {} : { meterSerialNumber: options.meterSerialNumber }),
      firmwareVersion: options.firmwareVersion ?? '1.0.0',
    },
    powerKw: perConnector,
    initialSoc: options.initialSoc ?? 20,
    batteryCapacityKwh: options.batteryCapacityKwh ?? 60,
    initialEnergyWh: options.initialEnergyWh ?? 0,
    reconnect: {
      initialDelayMs: options.reconnect?.initialDelayMs ?? 1000,
      maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
      factor: options.reconnect?.factor ?? 2,
      jitter: options.reconnect?.jitter ?? 0.25,
    },
    bootRetryMs: options.bootRetryMs ?? 30_000,
    callTimeoutMs: options.callTimeoutMs ?? 30_000,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    fileTransferStepMs: options.fileTransferStepMs ?? 1000,
    log: options.log ?? (() => undefined),
    time: options.time ?? realTime,
  };
  check(resolved.id.length > 0 && !resolved.id.includes('/'), 'id', 'must be non-empty and contain no "/"');
  check(/^wss?:\/\//.test(resolved.url), 'url', 'must start with ws:// or wss://');
  check(Number.isInteger(connectors) && connectors >= 1, 'connectors', 'must be an integer of at least 1');
  check(resolved.idTag.length >= 1 && resolved.idTag.length <= 20, 'idTag', 'must be 1 to 20 characters');
  check(resolved.meterIntervalMs > 0, 'meterIntervalMs', 'must be positive');
  check(
    perConnector.every((kw) => kw > 0),
    'powerKw',
    'must be positive',
  );
  check(resolved.initialSoc >= 0 && resolved.initialSoc <= 100, 'initialSoc', 'must be 0 to 100');
  check(resolved.batteryCapacityKwh > 0, 'batteryCapacityKwh', 'must be positive');
  check(resolved.reconnect.initialDelayMs > 0, 'reconnect.initialDelayMs', 'must be positive');
  check(
    resolved.reconnect.jitter >= 0 && resolved.reconnect.jitter <= 1,
    'reconnect.jitter',
    'must be 0 to 1',
  );
  check(resolved.bootRetryMs > 0, 'bootRetryMs', 'must be positive');
  return resolved;
}

function check(ok: boolean, name: string, rule: string): void {
  if (!ok) throw new RangeError(`Simulator option ${name} ${rule}`);
}
