import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCliDuration } from './duration.js';

/** What the command line asked for. */
export interface CliOptions {
  stations: number;
  connectors: number;
  url: string;
  password: string | undefined;
  idTag: string;
  meterIntervalMs: number;
  prefix: string;
  sessions: boolean;
  powerKw: number;
  /** The OCPP version of every station, or `mixed`: odd stations 1.6, even ones 2.0.1. */
  protocol: CliProtocol;
  /** Over wss:// (security profiles 2 and 3): PEM texts read from --ca, --cert, --key. */
  tls: { ca?: string; cert?: string; key?: string };
}

/** What `--protocol` takes. */
export const CLI_PROTOCOLS = ['1.6', '2.0.1', '2.1', 'mixed'] as const;
export type CliProtocol = (typeof CLI_PROTOCOLS)[number];

/** The help text, printed by `--help` and after a usage error. */
export const USAGE = `Usage: simulate [options]

Runs OCPP 1.6-J, 2.0.1 or 2.1 charging stations against a central system.

  --stations <n>          number of charge points (default 1)
  --connectors <n>        connectors per charge point (default 2)
  --url <ws-url>          central system base URL (default ws://localhost:3000/ocpp)
  --password <text>       HTTP Basic auth password of every charge point
  --tls                   connect over wss:// (a ws:// --url becomes wss://; security profile 2)
  --ca <file>             PEM CA that issued the central system's certificate (implies --tls)
  --cert <file>           PEM client certificate (chain) for security profile 3, with --key
  --key <file>            PEM private key of --cert
  --id-tag <tag>          id tag for sessions (default SIMTAG)
  --meter-interval <dur>  MeterValues interval, e.g. 10s, 500ms, 2m (default 10s)
  --power <kW>            maximum power per connector (default 11)
  --prefix <text>         charge point id prefix; ids are PREFIX001, PREFIX002, ... (default SIM)
  --sessions              start and stop sessions at random so the network looks alive
  --protocol <version>    1.6, 2.0.1, 2.1, or mixed (odd stations 1.6, even 2.0.1) (default 1.6)
  --help                  show this text
`;

/** Thrown for a bad command line; the message says what is wrong. */
export class UsageError extends Error {}

/** Parses the arguments after `simulate`; `undefined` means `--help` was asked for. */
export function parseCliArgs(argv: readonly string[]): CliOptions | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        stations: { type: 'string', default: '1' },
        connectors: { type: 'string', default: '2' },
        url: { type: 'string', default: 'ws://localhost:3000/ocpp' },
        password: { type: 'string' },
        tls: { type: 'boolean', default: false },
        ca: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'id-tag': { type: 'string', default: 'SIMTAG' },
        'meter-interval': { type: 'string', default: '10s' },
        power: { type: 'string', default: '11' },
        prefix: { type: 'string', default: 'SIM' },
        sessions: { type: 'boolean', default: false },
        protocol: { type: 'string', default: '1.6' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  let meterIntervalMs: number;
  try {
    meterIntervalMs = parseCliDuration(values['meter-interval']);
  } catch (error) {
    throw new UsageError(`--meter-interval: ${(error as Error).message}`);
  }
  if (meterIntervalMs <= 0) throw new UsageError('--meter-interval must be more than 0');
  if (!/^wss?:\/\//.test(values.url)) throw new UsageError('--url must start with ws:// or wss://');
  const protocol = CLI_PROTOCOLS.find((p) => p === values.protocol);
  if (!protocol) throw new UsageError(`--protocol must be one of ${CLI_PROTOCOLS.join(', ')}`);
  if ((values.cert === undefined) !== (values.key === undefined))
    throw new UsageError('--cert and --key go together');
  const tls = {
    ...(values.ca !== undefined && { ca: readPem('--ca', values.ca) }),
    ...(values.cert !== undefined && { cert: readPem('--cert', values.cert) }),
    ...(values.key !== undefined && { key: readPem('--key', values.key) }),
  };
  const secure = values.tls || Object.keys(tls).length > 0;
  const idTag = values['id-tag'];
  if (idTag.length < 1 || idTag.length > 20) throw new UsageError('--id-tag must be 1 to 20 characters');
  return {
    stations: positiveInteger('--stations', values.stations),
    connectors: positiveInteger('--connectors', values.connectors),
    url: secure ? values.url.replace(/^ws:\/\//, 'wss://') : values.url,
    password: values.password,
    idTag,
    meterIntervalMs,
    prefix: values.prefix,
    sessions: values.sessions,
    powerKw: positiveNumber('--power', values.power),
    protocol,
    tls,
  };
}

function readPem(name: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${name} ${path} cannot be read: ${(error as Error).message}`);
  }
  if (!text.includes('-----BEGIN ')) throw new UsageError(`${name} ${path} is not a PEM file`);
  return text;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${name} must be a whole number of at least 1`);
  return value;
}

function positiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${name} must be a number above 0`);
  return value;
}

/** Station ids `PREFIX001`, `PREFIX002`, ...: zero-padded to at least three digits so they sort. */
export function stationIds(prefix: string, count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(width, '0')}`);
}
