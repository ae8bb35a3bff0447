import { officialValidator, type ProtocolSchemas, type StrictModeValidator } from '@cimorings/ocpp/schemas';
import { createRPCError } from './rpc.js';

/** What ocpp-rpc's strict mode asks of a validator. */
export type SchemaValidator = StrictModeValidator;

/** The CallError codes a protocol names the kinds of schema violation with. */
interface ViolationCodes {
  occurrence: string;
  type: string;
  property: string;
  /** Anything else: a malformed message. */
  format: string;
}

/** OCPP-J 1.6 §4.2.3 Table 7 (with its spelling of "Occurence"). */
const V16_CODES: ViolationCodes = {
  occurrence: 'OccurenceConstraintViolation',
  type: 'TypeConstraintViolation',
  property: 'PropertyConstraintViolation',
  format: 'FormationViolation',
};

/** OCPP-J 2.0.1 §4.3 (and 2.1): the same kinds, spelled differently. */
export const V2_CODES: ViolationCodes = {
  occurrence: 'OccurrenceConstraintViolation',
  type: 'TypeConstraintViolation',
  property: 'PropertyConstraintViolation',
  format: 'FormatViolation',
};

/**
 * The kind of each schema violation: the field is missing or repeated wrongly (occurrence), of
 * the wrong JSON type (type), or present with a value the schema does not allow: not in the
 * enumeration, too long, out of range, not a date, or not a field of the message at all
 * (property). Anything else is a malformed message.
 */
const KIND_BY_KEYWORD: Record<string, keyof ViolationCodes> = {
  required: 'occurrence',
  minItems: 'occurrence',
  maxItems: 'occurrence',
  minProperties: 'occurrence',
  maxProperties: 'occurrence',
  type: 'type',
  enum: 'property',
  const: 'property',
  pattern: 'property',
  format: 'property',
  maxLength: 'property',
  minLength: 'property',
  maximum: 'property',
  minimum: 'property',
  exclusiveMaximum: 'property',
  exclusiveMinimum: 'property',
  multipleOf: 'property',
  additionalProperties: 'property',
};

/**
 * The official JSON schemas of one protocol as shipped by ocpp-rpc, answering each violation
 * with the protocol's code above (ocpp-rpc's own table answers enumerations and lengths with
 * FormatViolation, a code 1.6 does not have). Given to strict mode, so every frame in and out is
 * checked by it.
 */
function officialSchemas(
  subprotocol: ProtocolSchemas['subprotocol'],
  codes: ViolationCodes,
): SchemaValidator {
  const official = officialValidator(subprotocol);
  return {
    subprotocol,
    validate(schemaId, params) {
      try {
        official.validate(schemaId, params);
      } catch (error) {
        const errors = (error as { details?: { errors?: { keyword?: string }[] } }).details?.errors;
        const keyword = errors?.[0]?.keyword;
        if (keyword === undefined) throw error;
        // ocpp-rpc's details also hold the whole payload (`data`), which would be echoed back in
        // the CallError: as long again as the frame, and one it cannot always serialize (a payload
        // nested 30,000 deep makes JSON.stringify overflow, and ocpp-rpc then drops the socket).
        throw createRPCError(codes[KIND_BY_KEYWORD[keyword] ?? 'format'], (error as Error).message, {
          errors,
        });
      }
      const nul = pathOfNul(params, '');
      if (nul !== undefined) {
        // OCPP allows only printable characters in its CiString types, and PostgreSQL cannot
        // keep U+0000 in any text column: refused here rather than failing as an InternalError later.
        throw createRPCError(codes.property, `${nul || 'payload'} must not contain U+0000`, {});
      }
      return true;
    },
  };
}

export const v16Schemas = officialSchemas('ocpp1.6', V16_CODES);
export const v201Schemas = officialSchemas('ocpp2.0.1', V2_CODES);
export const v21Schemas = officialSchemas('ocpp2.1', V2_CODES);

/** The JSON pointer of the first key or string holding U+0000, if any. */
function pathOfNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = key.includes('\u0000') ? `${path}/${key}` : pathOfNul(item, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
