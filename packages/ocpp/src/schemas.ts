// The official OCPP JSON schemas, as ocpp-rpc ships them (the same ones its strict mode
// validates with), grouped per protocol and per action. Node-only: the dashboard imports the
// types from the package root, never this module.
import { createRequire } from 'node:module';
import standardValidators from 'ocpp-rpc/lib/standard-validators.js';

export type JsonSchema = Readonly<Record<string, unknown>> & { readonly $id?: string };

export interface ProtocolSchemas {
  /** The WebSocket subprotocol, as a charge point offers it. */
  readonly subprotocol: 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';
  /** The generated module (src/generated/<module>.ts) and its type-name prefix. */
  readonly module: 'v16' | 'v201' | 'v21';
  readonly schemas: readonly JsonSchema[];
}

export interface ActionSchemas {
  readonly request: JsonSchema;
  /** Absent for a message that is only ever sent with OCPP 2.1's SEND frame. */
  readonly response?: JsonSchema;
}

const load = createRequire(import.meta.url);
const schemaFile = (name: string): JsonSchema[] => load(`ocpp-rpc/lib/schemas/${name}.json`) as JsonSchema[];

export const PROTOCOLS: readonly ProtocolSchemas[] = [
  { subprotocol: 'ocpp1.6', module: 'v16', schemas: schemaFile('ocpp1_6') },
  { subprotocol: 'ocpp2.0.1', module: 'v201', schemas: schemaFile('ocpp2_0_1') },
  { subprotocol: 'ocpp2.1', module: 'v21', schemas: schemaFile('ocpp2_1') },
];

// 1.6 and 2.0.1 name them "urn:Action.req" / "urn:Action.conf", 2.1 "urn:ActionRequest" /
// "urn:ActionResponse"; a 2.1 SEND-only message is plain "urn:Action".
const ID = /^urn:([A-Za-z0-9]+?)(\.req|\.conf|Request|Response)?$/;

/** Every action of a protocol with its request and response schema, by action name. */
export function actionSchemas(protocol: ProtocolSchemas): ReadonlyMap<string, ActionSchemas> {
  const found = new Map<string, { request?: JsonSchema; response?: JsonSchema }>();
  for (const schema of protocol.schemas) {
    const match = ID.exec(schema.$id ?? '');
    if (!match?.[1]) throw new Error(`${protocol.subprotocol}: unexpected schema id ${String(schema.$id)}`);
    const entry = found.get(match[1]) ?? {};
    if (match[2] === '.conf' || match[2] === 'Response') entry.response = schema;
    else entry.request = schema;
    found.set(match[1], entry);
  }
  const actions = new Map<string, ActionSchemas>();
  for (const [action, { request, response }] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
    if (!request) throw new Error(`${protocol.subprotocol}: ${action} has a response schema but no request`);
    actions.set(action, response ? { request, response } : { request });
  }
  return actions;
}

/** The schemas of one protocol, found by its subprotocol name. */
export function protocolSchemas(subprotocol: ProtocolSchemas['subprotocol']): ProtocolSchemas {
  const protocol = PROTOCOLS.find((p) => p.subprotocol === subprotocol);
  if (!protocol) throw new Error(`unknown OCPP protocol ${subprotocol}`);
  return protocol;
}

/** What ocpp-rpc's strict mode asks of a validator (its `strictModeValidators` option). */
export interface StrictModeValidator {
  readonly subprotocol: string;
  /** @throws ocpp-rpc's RPCError naming the violation when the payload breaks the schema. */
  validate(schemaId: string, params: unknown): boolean;
}

/**
 * The id of a schema as the protocol names it, from the id ocpp-rpc 2.2's strict mode asks for
 * (`urn:Action.req`, `urn:Action.conf`: the ids of the 1.6 and 2.0.1 schemas). OCPP 2.1 names
 * them `urn:ActionRequest` / `urn:ActionResponse`, so ocpp-rpc's own 2.1 validator finds none.
 */
export function officialSchemaId(subprotocol: ProtocolSchemas['subprotocol'], strictModeId: string): string {
  if (subprotocol !== 'ocpp2.1') return strictModeId;
  return strictModeId.replace(/\.req$/, 'Request').replace(/\.conf$/, 'Response');
}

/**
 * The official schemas of one protocol as ocpp-rpc ships and compiles them (Ajv compiles a
 * schema when first asked for it), looked up by the ids its strict mode asks for: given as
 * `strictModeValidators`, it replaces the library's own validator of that protocol.
 */
export function officialValidator(subprotocol: ProtocolSchemas['subprotocol']): StrictModeValidator {
  const official = (standardValidators as unknown as readonly StrictModeValidator[]).find(
    (validator) => validator.subprotocol === subprotocol,
  );
  if (!official) throw new Error(`ocpp-rpc ships no ${subprotocol} validator`);
  quietTypeWarnings(official);
  return {
    subprotocol,
    validate: (schemaId, params) => official.validate(officialSchemaId(subprotocol, schemaId), params),
  };
}

/**
 * The OCPP 2.1 schemas declare `additionalProperties` on string enumerations, which Ajv's
 * default strictTypes mode reports on the console at every schema it compiles (a line per
 * message type). They validate the same either way; ocpp-rpc makes its Ajv without a way to pass
 * options, so the option is set on the instance it keeps in `_ajv`.
 */
function quietTypeWarnings(validator: StrictModeValidator): void {
  const options = (validator as { _ajv?: { opts?: { strictTypes?: unknown } } })._ajv?.opts;
  if (options) options.strictTypes = false;
}
