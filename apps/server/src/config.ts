/**
 * Configuration: read once at start from the environment (CONTRACT section 1), validated as a
 * whole against the schema in config/schema.ts so that every bad variable is named in one line,
 * then frozen. Nothing else in the server reads `process.env`.
 */

import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { IsInteger } from 'typebox';
import { Value } from 'typebox/value';
import { problemOf } from './config/describe.js';
import { CONFIG_RULES, CONFIG_SCHEMA, type Settings } from './config/schema.js';

export {
  LOG_LEVELS,
  parseDuration,
  UNKNOWN_STATION_POLICIES,
  type DatabaseConfig,
  type LogLevel,
  type UnknownStationPolicy,
} from './config/variables.js';

/** The server's configuration, typed by its schema; see config/schema.ts for each value. */
export type Config = Readonly<Settings & { adminPasswordFile: string; nodeId: string }>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Builds the configuration from an environment. Empty values count as unset.
 * @throws ConfigError naming every bad variable (secrets are named, never echoed).
 */
export function loadConfig(env: Env): Config {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const problems: string[] = [];
  const input: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(CONFIG_SCHEMA.properties)) {
    const text = read(variable.env);
    // A whole number is written in digits only: no sign, exponent or fraction.
    const value =
      text === undefined ? variable.default : IsInteger(variable) && /^\d+$/.test(text) ? Number(text) : text;
    if (text !== undefined && !Value.Check(variable, value)) problems.push(problemOf(variable, text));
    input[key] = value;
  }
  const isSet = (name: string) => read(name) !== undefined;
  for (const rule of CONFIG_RULES) {
    const problem = rule(isSet, read);
    if (problem !== null) problems.push(problem);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const settings = Value.Decode(CONFIG_SCHEMA, input);
  const { database } = settings;
  return Object.freeze({
    ...settings,
    nodeId: settings.nodeId ?? `${hostname()}-${process.pid}`,
    adminPasswordFile:
      settings.adminPasswordFile ??
      join(database.kind === 'sqlite' ? dirname(database.path) : './data', 'admin-password.txt'),
  });
}
