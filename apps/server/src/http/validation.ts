import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = { allErrors: false, useDefaults: true, removeAdditional: false };

function ajvWith(options: Options): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  addFormats.default(ajv);
  return ajv;
}

/**
 * Request validation that coerces only where the wire has no types: query strings, path
 * parameters and headers arrive as text (`?limit=10`), so they are coerced. JSON bodies are
 * typed already and are checked as they are: a string is never turned into a list or a number.
 */
export function requestValidator(): FastifySchemaCompiler<unknown> {
  const coercing = ajvWith({ coerceTypes: 'array' });
  const strict = ajvWith({ coerceTypes: false });
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}
