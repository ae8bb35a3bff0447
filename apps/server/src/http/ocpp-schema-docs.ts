import type { ActionSchemas, JsonSchema } from '@cimorings/ocpp/schemas';

/** Keywords of the official schemas that an OpenAPI 3.0 schema object does not have. */
const NOT_OPENAPI = new Set(['$schema', '$id', 'definitions', 'additionalItems', 'javaType', 'comment']);

/**
 * An official OCPP schema as the OpenAPI document shows it: without its own `$schema` and `$id`,
 * and with its `#/definitions/...` references written out in place, since they would otherwise
 * point into the OpenAPI document itself (the OCPP 2.x schemas reference their definitions;
 * none of them refers to itself).
 */
export function documented(
  actions: ReadonlyMap<string, ActionSchemas>,
  action: string,
  part: 'request' | 'response',
): Record<string, unknown> {
  const schema: JsonSchema | undefined = actions.get(action)?.[part];
  if (!schema) throw new Error(`ocpp-rpc ships no ${part} schema for ${action}`);
  const definitions = (schema.definitions ?? {}) as Record<string, unknown>;
  return inline(schema, definitions) as Record<string, unknown>;
}

function inline(value: unknown, definitions: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => inline(item, definitions));
  if (typeof value !== 'object' || value === null) return value;
  const { $ref, ...rest } = value as Record<string, unknown>;
  if (typeof $ref === 'string' && $ref.startsWith('#/definitions/')) {
    const target = definitions[$ref.slice('#/definitions/'.length)];
    if (target === undefined) throw new Error(`unresolved ${$ref}`);
    return inline({ ...(target as object), ...rest }, definitions);
  }
  return Object.fromEntries(
    Object.entries(rest)
      .filter(([key]) => !NOT_OPENAPI.has(key))
      .map(([key, inner]) => [
        key,
        key === 'properties' ? inlineEach(inner, definitions) : inline(inner, definitions),
      ]),
  );
}

/** The properties of an object schema: each a schema, whatever its name (a property may be called `comment`). */
function inlineEach(properties: unknown, definitions: Record<string, unknown>): unknown {
  if (typeof properties !== 'object' || properties === null) return properties;
  return Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => [name, inline(schema, definitions)]),
  );
}
