// Turns one protocol's official schemas into one TypeScript module with json-schema-to-typescript:
// every request and response type (`BootNotificationRequest`, `BootNotificationResponse`), the
// shared definitions of 2.0.1 and 2.1 once each, and the map `Actions` from action name to
// `{ request, response }`, all emitted by the generator from one combined schema. Nothing is
// written twice: a 2.1 type whose generated text is 2.0.1's, down to the types it refers to, is
// re-exported from the 2.0.1 module, and an object type that 1.6 spells out in several messages
// is written in the first and referred to from the others.
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { format, resolveConfig } from 'prettier';
import { fileURLToPath } from 'node:url';
import { actionSchemas, PROTOCOLS, type JsonSchema, type ProtocolSchemas } from '../src/schemas.js';

const PROTOCOL_NAMES: Record<ProtocolSchemas['module'], string> = {
  v16: 'OCPP 1.6',
  v201: 'OCPP 2.0.1',
  v21: 'OCPP 2.1',
};

/** The earlier protocol whose types a later one re-exports where it says the same. */
const BASE: Partial<Record<ProtocolSchemas['module'], ProtocolSchemas['module']>> = { v21: 'v201' };

type Definitions = Record<string, JsonSchema>;

/** The types a protocol takes from its base module, by name. */
interface Inherited {
  readonly module: ProtocolSchemas['module'];
  readonly names: ReadonlySet<string>;
}

/** `schema` with every reference to an inherited definition turned into its base module's name. */
function referBase(schema: unknown, inherited: Inherited): unknown {
  if (Array.isArray(schema)) return schema.map((item) => referBase(item, inherited));
  if (typeof schema !== 'object' || schema === null) return schema;
  const { $ref, ...rest } = schema as Record<string, unknown>;
  const name = typeof $ref === 'string' ? $ref.replace('#/definitions/', '') : undefined;
  if (name !== undefined && inherited.names.has(name))
    return { ...rest, tsType: `${inherited.module}.${name}` };
  const out: Record<string, unknown> = $ref === undefined ? {} : { $ref };
  for (const [key, value] of Object.entries(rest)) out[key] = referBase(value, inherited);
  return out;
}

/** An object type written out in place (not a definition), or an array of them. */
const isInlineObject = (schema: JsonSchema): boolean =>
  (schema.type === 'object' && Object.keys(schema.properties ?? {}).length > 0) ||
  (schema.type === 'array' && isInlineObject((schema.items ?? {}) as JsonSchema));

/**
 * `definitions` with every object type that one of them already writes out in full (1.6 repeats
 * idTagInfo, the charging profile and the meter value in several messages) replaced by a
 * reference to the first: `StopTransactionRequest['transactionData']` is the type of
 * `MeterValuesRequest['meterValue']`, written once.
 */
function referFirst(definitions: Definitions): Definitions {
  const first = new Map<string, string>();
  const visit = (schema: JsonSchema, path: string): JsonSchema => {
    if (isInlineObject(schema)) {
      const { description, ...type } = schema;
      const key = JSON.stringify(type);
      const known = first.get(key);
      if (known) return { ...(description === undefined ? {} : { description }), tsType: known };
      first.set(key, path);
    }
    const out: Record<string, unknown> = { ...schema };
    const required = new Set((schema.required ?? []) as string[]);
    if (schema.properties) {
      out.properties = Object.fromEntries(
        Object.entries(schema.properties as Definitions).map(([key, property]) => {
          const value = `${path}['${key}']`;
          return [key, visit(property, required.has(key) ? value : `Exclude<${value}, undefined>`)];
        }),
      );
    }
    if (schema.items && !Array.isArray(schema.items))
      out.items = visit(schema.items as JsonSchema, `${path}[number]`);
    return out;
  };
  return Object.fromEntries(Object.entries(definitions).map(([name, schema]) => [name, visit(schema, name)]));
}

/** The root schema whose generated interface is the action map; every message is a definition. */
function combinedSchema(protocol: ProtocolSchemas, inherited?: Inherited): JSONSchema {
  const definitions: Definitions = {};
  const actions: Record<string, JSONSchema> = {};
  const message = (schema: JsonSchema, name: string): JSONSchema => {
    const { definitions: shared, $id: _id, $schema: _schema, comment: _comment, ...body } = schema;
    for (const [key, definition] of Object.entries((shared ?? {}) as Definitions)) {
      const known = definitions[key];
      if (!known || JSON.stringify(known) === JSON.stringify(definition)) {
        definitions[key] = definition;
        continue;
      }
      // The official schemas repeat some enumerations with a description written for each
      // message; the type is one, so it keeps no message's description.
      const { description: _known, ...knownType } = known;
      const { description: _other, ...otherType } = definition;
      if (JSON.stringify(knownType) !== JSON.stringify(otherType)) {
        throw new Error(`${protocol.subprotocol}: two different definitions named ${key}`);
      }
      definitions[key] = knownType;
    }
    // An object that may hold nothing (Heartbeat.req) is `{}` to the generator, which any value
    // satisfies; say what the schema says instead.
    const empty = body.additionalProperties === false && Object.keys(body.properties ?? {}).length === 0;
    definitions[name] = { ...body, title: name, ...(empty ? { tsType: 'Record<string, never>' } : {}) };
    return { $ref: `#/definitions/${name}` };
  };
  for (const [action, { request, response }] of actionSchemas(protocol)) {
    const properties: Record<string, JSONSchema> = { request: message(request, `${action}Request`) };
    if (response) properties.response = message(response, `${action}Response`);
    actions[action] = {
      type: 'object',
      additionalProperties: false,
      properties,
      required: Object.keys(properties),
    };
  }
  return {
    title: 'Actions',
    description: `Every ${PROTOCOL_NAMES[protocol.module]} action, with the type of its request and of its response.`,
    type: 'object',
    additionalProperties: false,
    properties: (inherited ? referBase(actions, inherited) : actions) as Record<string, JSONSchema>,
    required: Object.keys(actions),
    definitions: referFirst(
      Object.fromEntries(
        Object.entries(definitions)
          .filter(([name]) => !inherited?.names.has(name))
          .map(([name, definition]) => [name, inherited ? referBase(definition, inherited) : definition]),
      ) as Definitions,
    ) as Record<string, JSONSchema>,
  };
}

const BANNER = (protocol: ProtocolSchemas): string =>
  `// Generated by packages/ocpp/scripts/generate.ts from ocpp-rpc's ${protocol.subprotocol} JSON schemas.\n` +
  `// Do not edit: run \`npm run generate -w @cimorings/ocpp\`.`;

/** The banner, then what the module takes from its base module. */
function header(protocol: ProtocolSchemas, inherited?: Inherited): string {
  if (!inherited) return BANNER(protocol);
  const from = `'./${inherited.module}.js'`;
  return (
    `${BANNER(protocol)}\n\nimport type * as ${inherited.module} from ${from};\n\n` +
    `export type { ${[...inherited.names].sort().join(', ')} } from ${from};`
  );
}

/** The module text for one protocol, formatted with the repository's Prettier settings. */
async function generate(protocol: ProtocolSchemas, inherited?: Inherited): Promise<string> {
  const source = await compile(combinedSchema(protocol, inherited), 'Actions', {
    bannerComment: header(protocol, inherited),
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    format: false,
    strictIndexSignatures: true,
    maxItems: 1,
  });
  // The generator notes under every definition that the root schema referred to it: noise here.
  const quiet = source
    .replace(
      /^ \* This interface was referenced by `Actions`'s JSON-Schema\n \* via the `definition` "\w+"\.\n/gm,
      '',
    )
    .replace(/\r/g, '')
    .replace(/(?:\n[ \t]*\*[ \t]*)+\n([ \t]*\*\/)/g, '\n$1')
    .replace(/^\/\*\*\n \*\/\n/gm, '');
  const target = fileURLToPath(new URL(`../src/generated/${protocol.module}.ts`, import.meta.url));
  const options = (await resolveConfig(target)) ?? {};
  return format(quiet, { ...options, filepath: target });
}

/** Each top-level declaration of a generated module, its doc comment included, by the name it declares. */
function declarations(source: string): Map<string, string> {
  const found = new Map<string, string>();
  const chunks = source.split(/\n(?=\/\*\*|export )/);
  let comment = '';
  for (const chunk of chunks) {
    const name = /^export (?:type|interface) (\w+)/m.exec(chunk)?.[1];
    if (chunk.startsWith('/**') && !name) {
      comment = `${chunk}\n`;
      continue;
    }
    if (name) found.set(name, comment + chunk);
    comment = '';
  }
  return found;
}

/** The type names a declaration refers to (its comment aside). */
const referencesOf = (declaration: string): string[] =>
  declaration.replace(/\/\*\*[\s\S]*?\*\//g, '').match(/\b[A-Z]\w*\b/g) ?? [];

/**
 * What `protocol` can take from `base`: the types it generates to the same text as the base does,
 * as long as every type of its own they refer to is taken too.
 */
async function inheritance(protocol: ProtocolSchemas, base: ProtocolSchemas): Promise<Inherited> {
  const own = declarations(await generate(protocol));
  const theirs = declarations(await renderProtocol(base));
  const names = new Set([...own].filter(([name, text]) => theirs.get(name) === text).map(([name]) => name));
  for (let dropped = true; dropped;) {
    dropped = false;
    for (const name of names) {
      const local = referencesOf(own.get(name) ?? '').some((ref) => own.has(ref) && !names.has(ref));
      if (local) dropped = names.delete(name);
    }
  }
  return { module: base.module, names };
}

/** The module text for one protocol, formatted with the repository's Prettier settings. */
export async function renderProtocol(protocol: ProtocolSchemas): Promise<string> {
  const base = PROTOCOLS.find((p) => p.module === BASE[protocol.module]);
  return base ? generate(protocol, await inheritance(protocol, base)) : generate(protocol);
}
