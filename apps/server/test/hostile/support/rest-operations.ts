import fc from 'fast-check';
import type { TestApp } from '../../support/test-app.js';
import { hostileJson, nastyString } from './hostile-values.js';
import { shapedBy, type JsonSchema } from './schema-arbitrary.js';

/** One route and method of the OpenAPI document, with what it takes. */
export interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: { name: string; schema: JsonSchema }[];
  body?: { contentType: string; schema: JsonSchema };
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; schema: JsonSchema }[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Every operation the server documents: new routes are fuzzed without touching the suite. */
export async function documentedOperations(
  app: TestApp,
): Promise<{ operations: Operation[]; resolve: (ref: string) => JsonSchema }> {
  const response = await app.request('GET', '/api/docs/openapi.json');
  if (response.status !== 200) throw new Error(`no OpenAPI document: ${response.status}`);
  const document = response.body as OpenApiDocument;
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = operation.parameters ?? [];
      const [contentType, content] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
      return {
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map(({ name, schema }) => ({ name, schema })),
        ...(contentType && content && { body: { contentType, schema: content.schema } }),
      };
    }),
  );
  const resolve = (ref: string) => {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    const schema = name === undefined ? undefined : document.components?.schemas?.[name];
    if (!schema) throw new Error(`cannot resolve ${ref}`);
    return schema;
  };
  return { operations, resolve };
}

/** Path segments as sent on the wire (already encoded, or deliberately not). */
const PATH_SEGMENTS = [
  'KEEP-1',
  'KEEP-TAG',
  'NOPE-1',
  '0',
  '-1',
  '1.5',
  '999999',
  '99999999999999999999',
  '1e400',
  'Infinity',
  'NaN',
  '0x10',
  '%E0%A4%A',
  '%',
  '%00',
  '%C0%AF',
  '%2F',
  '%2e%2e',
  '%20',
  '%F0%9F%98%80',
  '__proto__',
  'constructor',
  'x'.repeat(5_000),
];

const pathSegment = fc.oneof(
  { arbitrary: fc.constantFrom(...PATH_SEGMENTS), weight: 3 },
  {
    arbitrary: nastyString().map((text) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '?')) || 'x'),
    weight: 1,
  },
);

const queryValue = fc.oneof(
  nastyString(),
  fc.constantFrom(
    '-1',
    '0',
    '1',
    '1.5',
    '2147483648',
    '99999999999999999999',
    '1e400',
    '-Infinity',
    'true',
    '[]',
    '{}',
  ),
  fc.constantFrom(
    '2026-12-31T23:59:60Z',
    '99999-01-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
  ),
);

/** A raw JSON text no serializer would make: deep, huge, polluting or broken. */
const RAW_BODIES = [
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `{"a":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  '{"limit":1e400,"name":1e400}',
  '{"name":"x","name":"y"}',
  '{',
  '',
  'null',
  '"text"',
  `{"name":"${'x'.repeat(200_000)}"}`,
  `"${'x'.repeat(2 * 1024 * 1024)}"`,
];

/** A request to one operation: hostile path, query and body, with a token of some kind. */
export function hostileRequest(operations: Operation[], resolve: (ref: string) => JsonSchema) {
  return fc.constantFrom(...operations).chain((operation) =>
    fc.record({
      operation: fc.constant(operation),
      caller: fc.constantFrom('admin', 'viewer', 'nobody') as fc.Arbitrary<'admin' | 'viewer' | 'nobody'>,
      segments: fc.array(pathSegment, {
        minLength: operation.pathParams.length,
        maxLength: operation.pathParams.length,
      }),
      query: fc.array(
        fc.tuple(
          fc.oneof(
            { arbitrary: fc.constantFrom(...operation.queryParams.map((p) => p.name), 'limit'), weight: 4 },
            { arbitrary: fc.constantFrom('__proto__', 'constructor', 'x', '', '[]'), weight: 1 },
          ),
          queryValue,
        ),
        { maxLength: 4 },
      ),
      contentType: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 6 },
        {
          arbitrary: fc.constantFrom(
            'text/plain',
            'application/xml',
            'application/json; charset=utf-16',
            'multipart/form-data; boundary=x',
            'application/x-www-form-urlencoded',
            'text/csv',
          ),
          weight: 1,
        },
      ),
      body: fc.oneof(
        {
          arbitrary: operation.body
            ? shapedBy(operation.body.schema, resolve).map((value) => ({ value }))
            : fc.constant(undefined),
          weight: 4,
        },
        { arbitrary: hostileJson.map((value) => ({ value })), weight: 2 },
        { arbitrary: fc.constantFrom(...RAW_BODIES).map((raw) => ({ raw })), weight: 1 },
        { arbitrary: fc.constant(undefined), weight: 1 },
      ),
    }),
  );
}

/** The request line of a hostile request: the path with its segments, and the query string. */
export function urlOf(operation: Operation, segments: string[], query: [string, string][]): string {
  let index = 0;
  const path = operation.path.replace(/\{[^}]+\}/g, () => segments[index++] ?? 'x');
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}
