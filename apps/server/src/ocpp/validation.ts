import validators from 'ocpp-rpc/lib/standard-validators.js';
import { AppError } from '../errors.js';
import type { RequestValidator } from '../services/command.service.js';

interface Validator {
  subprotocol: string;
  validate(schemaId: string, params: unknown): boolean;
}

const v16 = (validators as unknown as Validator[]).find((validator) => validator.subprotocol === 'ocpp1.6');
if (!v16) throw new Error('ocpp-rpc ships no OCPP 1.6 schemas');
const schemas: Validator = v16;

/**
 * Checks a command's payload against the official OCPP 1.6 JSON schema of its request, the same
 * schemas strict mode applies to what goes over the wire, so that an invalid command is refused
 * with 400 before anything is sent.
 */
export const validateV16Request: RequestValidator = (action, payload) => {
  try {
    schemas.validate(`urn:${action}.req`, payload);
  } catch (error) {
    const details = error as { rpcErrorCode?: string; details?: { errors?: unknown } };
    throw new AppError('VALIDATION_ERROR', `Invalid ${action}.req: ${(error as Error).message}`, {
      ocppErrorCode: details.rpcErrorCode ?? 'FormationViolation',
      errors: details.details?.errors ?? [],
    });
  }
};
