/**
 * What a configuration variable is made of: its annotations (name, default, description, how an
 * error names it), the builders `config/schema.ts` declares each variable with, and the parsers
 * of the values that are more than a number or a word (durations, database URLs, proxy lists).
 */

import proxyAddr from '@fastify/proxy-addr';
import { parseDurationMs, type DurationSyntax } from '@cimorings/contracts';
import { Type, type TSchema } from 'typebox';

export const UNKNOWN_STATION_POLICIES = ['accept', 'pending', 'reject'] as const;
export type UnknownStationPolicy = (typeof UNKNOWN_STATION_POLICIES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** What a variable declares beside its type; the docs, `--help` and the error line read it. */
export interface VariableAnnotations {
  /** The environment variable's name. */
  readonly env: string;
  /** Markdown; `--help` prints it without the backticks. */
  readonly description: string;
  /** The value used when the variable is unset or empty; `null` means "unset". */
  readonly default: unknown;
  /** The default in words, when it is not a plain value (generated, derived from another variable). */
  readonly defaultText?: string;
  /** The accepted values in words, when the type's keywords cannot say it; completes "must be ...". */
  readonly accepts?: string;
  /** Never repeat the value in an error: a password, a key or a URL that may carry credentials. */
  readonly secret?: boolean;
  /** The whole error phrase after the name, when "must be {accepts} (got ...)" does not fit. */
  readonly problem?: (text: string) => string;
}

export type Variable<S extends TSchema = TSchema> = S & VariableAnnotations;

export function variable<S extends TSchema>(schema: S, annotations: VariableAnnotations): Variable<S> {
  return Object.assign(schema, annotations);
}

export function wholeNumber(
  env: string,
  minimum: number,
  maximum: number,
  fallback: number,
  description: string,
) {
  return variable(Type.Integer({ minimum, maximum }), { env, default: fallback, description });
}

/** A variable that may stay unset: its value is then `null`. */
export function unsetOr<S extends TSchema>(schema: S) {
  return Type.Union([schema, Type.Null()]);
}

/** Text that `parse` understands, decoded into what `parse` returns. */
export function parsedText<T>(parse: (text: string) => T | null) {
  return Type.Decode(
    Type.Refine(Type.String(), (text) => parse(text) !== null),
    (text): T => {
      const value = parse(text);
      // Unreachable: the value passed its check (the same `parse`) before it is decoded.
      if (value === null) throw new TypeError('decoding a value that failed its check');
      return value;
    },
  );
}

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

export function parseDatabaseUrl(text: string): DatabaseConfig | null {
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

export function proxyEntries(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** The TRUST_PROXY entries that are not an address, a CIDR or a proxy-addr keyword. */
export function invalidProxyEntries(text: string): string[] {
  return proxyEntries(text).filter((entry) => {
    try {
      proxyAddr.compile(entry);
      return false;
    } catch {
      return true;
    }
  });
}
