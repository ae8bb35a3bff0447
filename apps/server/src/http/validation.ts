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
  return ({ schema, httpPart }) => storableOnly((httpPart === 'body' ? strict : coercing).compile(schema));
}

/**
 * Refuses, after the schema, what no column can hold whatever the schema says:
 * - a non-finite number: Ajv's coercion turns the text `Infinity` or `1e400` into a number and
 *   then skips `minimum` and `maximum`, which it checks only on finite numbers, so
 *   `?offset=Infinity` reached the database;
 * - text with U+0000, which PostgreSQL refuses in every text column (a 500 there, while SQLite
 *   stored it): no field of ours has a use for it.
 */
function storableOnly(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown) => {
    const valid = validate(data);
    checked.errors = validate.errors;
    if (valid !== true) return valid;
    const problem = unstorable(data, '');
    if (problem === undefined) return true;
    checked.errors = [
      { instancePath: problem.path, schemaPath: '#', keyword: 'type', params: {}, message: problem.message },
    ];
    return false;
  }) as ValidateFunction;
  return Object.assign(checked, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}

/** Where the first value no column can hold is, as a JSON pointer, and why. */
function unstorable(value: unknown, path: string): { path: string; message: string } | undefined {
  if (typeof value === 'number' && !Number.isFinite(value))
    return { path, message: 'must be a finite number' };
  if (typeof value === 'string' && value.includes('\u0000'))
    return { path, message: 'must not contain U+0000' };
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = unstorable(key, `${path}/${key}`) ?? unstorable(item, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
