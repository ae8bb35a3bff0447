import { Ajv, type AnySchema, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const common: Options = { allErrors: false, useDefaults: true, removeAdditional: false };

/**
 * RFC 3339 admits a leap second (`23:59:60`) that JavaScript's `Date` cannot represent: such a
 * value passed Ajv's `date-time` and then became an Invalid Date (a 500) wherever it was read.
 * A date-time is valid here only when it is also a real instant.
 */
function dateTimeFormat(ajv: Ajv): void {
  const rfc3339: unknown = ajv.formats['date-time'];
  const check: unknown =
    typeof rfc3339 === 'object' && rfc3339 !== null && 'validate' in rfc3339 ? rfc3339.validate : rfc3339;
  if (typeof check !== 'function') throw new Error('ajv-formats lost its date-time format');
  const isRfc3339 = check as (value: string) => boolean;
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (value: string) => isRfc3339(value) && Number.isFinite(Date.parse(value)),
  });
}

function ajvWith(options: Options, schemas: readonly object[]): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  addFormats.default(ajv);
  dateTimeFormat(ajv);
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
  return ({ schema, httpPart }) =>
    httpPart === 'body' ? strict.compile(schema) : finiteOnly(coercing.compile(schema));
}

/**
 * Ajv's coercion turns the text `Infinity` or `1e400` into a number and then skips `minimum` and
 * `maximum`, which it checks only on finite numbers: `?offset=Infinity` reached the database.
 * No parameter of ours is infinite, so a coerced part holding one is refused like any bad type.
 */
function finiteOnly(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown) => {
    const valid = validate(data);
    checked.errors = validate.errors;
    if (valid !== true) return valid;
    const path = nonFinitePath(data, '');
    if (path === undefined) return true;
    checked.errors = [
      {
        instancePath: path,
        schemaPath: '#',
        keyword: 'type',
        params: {},
        message: 'must be a finite number',
      },
    ];
    return false;
  }) as ValidateFunction;
  return Object.assign(checked, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}

/** The JSON pointer of the first non-finite number in a parsed query or path, if any. */
function nonFinitePath(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nonFinitePath(item, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
