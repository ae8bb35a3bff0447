import { Ajv, type AnySchema, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const common: Options = { allErrors: false, useDefaults: true, removeAdditional: false };

function ajvWith(options: Options, schemas: readonly object[]): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  addFormats.default(ajv);
  for (const schema of schemas) ajv.addSchema(schema);
  return ajv;
}

/**
 * Request validation that coerces only where the wire has no types: query strings, path
 * parameters and headers arrive as text (`?limit=10`), so they are coerced. JSON bodies are
 * typed already and are checked as they are: a string never becomes a list, nor `null` a string.
 *
 * A factory, given to Fastify's schema controller, so that every plugin context that adds
 * shared schemas gets the same rules (a compiler set with `setValidatorCompiler` is replaced
 * in such contexts by Fastify's default one).
 */
export function buildRequestValidator(
  externalSchemas: unknown,
): (route: { schema: AnySchema; httpPart?: string }) => ValidateFunction {
  const schemas = Object.values((externalSchemas ?? {}) as Record<string, unknown>).filter(
    (schema): schema is object => typeof schema === 'object' && schema !== null,
  );
  const coercing = ajvWith({ coerceTypes: 'array' }, schemas);
  const strict = ajvWith({ coerceTypes: false }, schemas);
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema);
}
