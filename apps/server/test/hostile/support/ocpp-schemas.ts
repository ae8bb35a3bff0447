import { V16_CHARGE_POINT_ACTIONS } from '@cimorings/ocpp';
import { officialValidator, protocolSchemas } from '@cimorings/ocpp/schemas';
import type { JsonSchema, RefResolver } from './schema-arbitrary.js';
import type { Frame } from './ocpp-wire.js';

/** The official OCPP 1.6 JSON schemas, as ocpp-rpc ships them. */
const SCHEMAS = protocolSchemas('ocpp1.6').schemas as readonly (JsonSchema & { $id?: string })[];

/** Every message a charge point may send in OCPP 1.6 (§4 and the security extension, 2020). */
export const CHARGE_POINT_ACTIONS = V16_CHARGE_POINT_ACTIONS;

/** The CallError codes of OCPP-J 1.6 (§4.2.3). */
export const V16_ERROR_CODES = [
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
];

/** The codes that say "your message is wrong" (or not for you): what an invalid request must get. */
const REFUSAL_CODES = new Set(
  V16_ERROR_CODES.filter((code) => code !== 'InternalError' && code !== 'GenericError'),
);

export function schemaOf(id: string): JsonSchema {
  const schema = SCHEMAS.find((candidate) => candidate.$id === id);
  if (!schema) throw new Error(`ocpp-rpc ships no schema ${id}`);
  return schema;
}

/** `#/definitions/X` of the schema they appear in. */
export function resolverFor(schema: JsonSchema): RefResolver {
  return (ref) => {
    const name = /^#\/definitions\/(.+)$/.exec(ref)?.[1];
    const target = name === undefined ? undefined : schema.definitions?.[name];
    if (!target) throw new Error(`cannot resolve ${ref}`);
    return target;
  };
}

const official = officialValidator('ocpp1.6');

/** True when the official schema accepts the payload (ocpp-rpc's validator throws otherwise). */
export function isValid(schemaId: string, payload: unknown): boolean {
  try {
    return official.validate(schemaId, payload);
  } catch {
    return false;
  }
}

/**
 * What is wrong with the server's answer to a CALL, or undefined when it is right: a CallResult
 * that the official `.conf` schema accepts (only for a valid request), or a CallError with a
 * 1.6 code, a text and a details object; for an invalid request one that refuses it, for a valid
 * one anything but InternalError (the server failing on a message it should handle or refuse).
 */
export function answerProblem(action: string, requestValid: boolean, frame: Frame): string | undefined {
  if (!Array.isArray(frame)) return `unreadable answer ${frame.unreadable.slice(0, 200)}`;
  const [type, , ...rest] = frame;
  if (type === 3) {
    if (!requestValid) return 'an invalid request was answered with a CallResult';
    return isValid(`urn:${action}.conf`, rest[0]) ? undefined : `CallResult not valid ${action}.conf`;
  }
  if (type !== 4) return `answer of message type ${String(type)}`;
  const [code, description, details] = rest;
  if (typeof code !== 'string' || !V16_ERROR_CODES.includes(code)) return `CallError code ${String(code)}`;
  if (typeof description !== 'string') return 'CallError without a description';
  if (typeof details !== 'object' || details === null || Array.isArray(details))
    return 'CallError details not an object';
  if (code === 'InternalError') return `InternalError: ${description}`;
  if (!requestValid && !REFUSAL_CODES.has(code)) return `invalid request answered ${code}`;
  return undefined;
}
