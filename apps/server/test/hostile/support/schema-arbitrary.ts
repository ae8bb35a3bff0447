import fc from 'fast-check';
import {
  dateTimeText,
  extremeInteger,
  extremeNumber,
  hostileJson,
  nastyString,
  withOwnProperty,
} from './hostile-values.js';

/** The part of JSON Schema that the OCPP 1.6 schemas and our OpenAPI document use. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  format?: string;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
}

/** Resolves a `$ref` to the schema it names. */
export type RefResolver = (ref: string) => JsonSchema;

/** Largest array made when a schema sets no maxItems: big enough to hurt, small enough for CI. */
const HUGE_ARRAY = 2_000;

/**
 * Values shaped by a schema but pushed to its edges: every required field, optional ones at
 * random, strings at length 0, 1, maxLength and a little over, numbers at the extremes of
 * JavaScript and SQL, date-times far in the past and future, arrays empty or huge. Some of them
 * break the schema (a string one over maxLength, a date that is no instant): the test decides
 * what each one is by validating it, not by how it was made.
 */
export function shapedBy(schema: JsonSchema, resolve: RefResolver, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return shapedBy(resolve(schema.$ref), resolve, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => shapedBy(choice, resolve, depth)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return objectOf(schema, resolve, depth);
    case 'array': {
      const item = schema.items ? shapedBy(schema.items, resolve, depth + 1) : hostileJson;
      const min = schema.minItems ?? 0;
      const max = schema.maxItems ?? (depth === 0 ? HUGE_ARRAY : 50);
      return fc.oneof(
        { arbitrary: fc.array(item, { minLength: min, maxLength: Math.min(max, min + 3) }), weight: 8 },
        { arbitrary: fc.constant([]), weight: 1 },
        { arbitrary: fc.array(item, { minLength: max, maxLength: max }), weight: depth < 2 ? 1 : 0 },
      );
    }
    case 'string':
      return stringOf(schema);
    case 'integer':
      return schema.multipleOf
        ? extremeInteger.map((n) => n * (schema.multipleOf ?? 1))
        : fc.oneof(extremeInteger, boundsOf(schema));
    case 'number':
      return fc.oneof(extremeNumber, boundsOf(schema));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return hostileJson;
  }
}

function objectOf(schema: JsonSchema, resolve: RefResolver, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(properties).map(([key, property]) => [key, shapedBy(property, resolve, depth + 1)]),
  );
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
}

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return dateTimeText;
  const max = schema.maxLength ?? 200;
  const min = schema.minLength ?? 0;
  const exactly = (length: number) =>
    fc.string({ unit: 'grapheme-ascii', minLength: length, maxLength: length });
  return fc.oneof(
    { arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 30) }), weight: 4 },
    { arbitrary: nastyString(Math.min(max, 30)), weight: 3 },
    { arbitrary: exactly(max), weight: 1 },
    { arbitrary: exactly(max + 1), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', minLength: max, maxLength: max }), weight: 1 },
  );
}

function boundsOf(schema: JsonSchema): fc.Arbitrary<number> {
  const edges = [schema.minimum, schema.maximum]
    .filter((n): n is number => typeof n === 'number')
    .flatMap((n) => [n - 1, n, n + 1]);
  return edges.length ? fc.constantFrom(...edges) : extremeInteger;
}

/** What a mutation did to a shaped value, for the failure report. */
export interface Mutated {
  value: unknown;
  mutation: string;
}

/**
 * A shaped value broken in one way: a required field dropped, a field of the wrong JSON type,
 * an unknown field (also `__proto__` and `constructor`), or no object at all.
 */
export function mutated(schema: JsonSchema, resolve: RefResolver): fc.Arbitrary<Mutated> {
  const shaped = shapedBy(schema, resolve);
  return fc.oneof(
    fc.tuple(shaped, fc.nat()).map(([value, pick]) => dropRequired(value, schema, pick)),
    fc
      .tuple(shaped, fc.nat(), wrongTyped)
      .map(([value, pick, replacement]) => retyped(value, pick, replacement)),
    fc
      .tuple(
        shaped,
        fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype'), nastyString(20)),
        hostileJson,
      )
      .map(([value, key, extra]) => ({
        value: isObject(value) ? withOwnProperty({ ...value }, key, extra) : value,
        mutation: `extra field ${JSON.stringify(key)}`,
      })),
    fc
      .constantFrom(null, [], 'BootNotification', 42, true, [{}], '')
      .map((value) => ({ value, mutation: 'no object' })),
  );
}

const wrongTyped = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  extremeNumber,
  nastyString(),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 3 }),
);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dropRequired(value: unknown, schema: JsonSchema, pick: number): Mutated {
  const required = schema.required ?? [];
  if (!isObject(value) || required.length === 0) return { value: [value], mutation: 'wrapped in a list' };
  const key = required[pick % required.length] ?? '';
  const { [key]: _dropped, ...rest } = value;
  return { value: rest, mutation: `without ${key}` };
}

/** Replaces one leaf or branch, chosen by `pick` among every path of the value. */
function retyped(value: unknown, pick: number, replacement: unknown): Mutated {
  const paths = pathsOf(value, []);
  const path = paths[pick % paths.length] ?? [];
  if (path.length === 0) return { value: replacement, mutation: 'retyped whole' };
  const copy = structuredClone(value);
  let cursor = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string, unknown>;
  cursor[path.at(-1) ?? ''] = replacement;
  return { value: copy, mutation: `retyped ${path.join('.')}` };
}

function pathsOf(value: unknown, prefix: string[]): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const children = Object.keys(value).flatMap((key) =>
    pathsOf((value as Record<string, unknown>)[key], [...prefix, key]).slice(0, 20),
  );
  return [prefix, ...children];
}
