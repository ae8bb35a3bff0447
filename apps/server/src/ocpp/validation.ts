import type { v16 } from '@cimorings/ocpp';
import validators from 'ocpp-rpc/lib/standard-validators.js';
import { AppError } from '../errors.js';
import type { RequestValidator } from '../services/command.service.js';
import { createRPCError } from './rpc.js';

/** What ocpp-rpc's strict mode asks of a validator. */
export interface SchemaValidator {
  subprotocol: string;
  validate(schemaId: string, params: unknown): boolean;
}

/**
 * The OCPP-J 1.6 CallError for each kind of schema violation (§4.2.3 Table 7): the field is
 * missing or repeated wrongly (occurrence), of the wrong JSON type (type), or present with a
 * value the schema does not allow: not in the enumeration, too long, out of range, not a date,
 * or not a field of the message at all (property). Anything else is a malformed message.
 */
const CODE_BY_KEYWORD: Record<string, string> = {
  required: 'OccurenceConstraintViolation',
  minItems: 'OccurenceConstraintViolation',
  maxItems: 'OccurenceConstraintViolation',
  minProperties: 'OccurenceConstraintViolation',
  maxProperties: 'OccurenceConstraintViolation',
  type: 'TypeConstraintViolation',
  enum: 'PropertyConstraintViolation',
  const: 'PropertyConstraintViolation',
  pattern: 'PropertyConstraintViolation',
  format: 'PropertyConstraintViolation',
  maxLength: 'PropertyConstraintViolation',
  minLength: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  exclusiveMaximum: 'PropertyConstraintViolation',
  exclusiveMinimum: 'PropertyConstraintViolation',
  multipleOf: 'PropertyConstraintViolation',
  additionalProperties: 'PropertyConstraintViolation',
};

const official = (validators as unknown as SchemaValidator[]).find((v) => v.subprotocol === 'ocpp1.6');

/**
 * The official OCPP 1.6 JSON schemas as shipped by ocpp-rpc, answering each violation with the
 * 1.6 code above (ocpp-rpc's own table answers enumerations and lengths with FormatViolation,
 * a code 1.6 does not have). Given to strict mode, so every frame in and out is checked by it.
 */
export const v16Schemas: SchemaValidator = {
  subprotocol: 'ocpp1.6',
  validate(schemaId, params) {
    if (!official) throw new Error('ocpp-rpc ships no OCPP 1.6 schemas');
    try {
      official.validate(schemaId, params);
    } catch (error) {
      const errors = (error as { details?: { errors?: { keyword?: string }[] } }).details?.errors;
      const keyword = errors?.[0]?.keyword;
      if (keyword === undefined) throw error;
      // ocpp-rpc's details also hold the whole payload (`data`), which would be echoed back in
      // the CallError: as long again as the frame, and one it cannot always serialize (a payload
      // nested 30,000 deep makes JSON.stringify overflow, and ocpp-rpc then drops the socket).
      throw createRPCError(CODE_BY_KEYWORD[keyword] ?? 'FormationViolation', (error as Error).message, {
        errors,
      });
    }
    const nul = pathOfNul(params, '');
    if (nul !== undefined) {
      // OCPP 1.6 allows only printable ASCII in its CiString types, and PostgreSQL cannot keep
      // U+0000 in any text column: refused here rather than failing as an InternalError later.
      throw createRPCError('PropertyConstraintViolation', `${nul || 'payload'} must not contain U+0000`, {});
    }
    return true;
  },
};

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

/**
 * Checks a command's payload against the official OCPP 1.6 JSON schema of its request, the same
 * check strict mode applies on the wire, so that an invalid command is refused with 400 before
 * anything is sent. Typed with OCPP 1.6's own list, so that the compiler refuses a command action
 * the central system may not send.
 */
export const validateV16Request: RequestValidator = (action: v16.CentralSystemAction, payload: unknown) => {
  try {
    v16Schemas.validate(`urn:${action}.req`, payload);
  } catch (error) {
    const details = error as { rpcErrorCode?: string; details?: { errors?: unknown } };
    throw new AppError('VALIDATION_ERROR', `Invalid ${action}.req: ${(error as Error).message}`, {
      ocppErrorCode: details.rpcErrorCode ?? 'FormationViolation',
      errors: details.details?.errors ?? [],
    });
  }
};
