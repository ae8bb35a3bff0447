import { AppError } from '../errors.js';
import type { SchemaValidator } from './validation.js';

/**
 * Checks a command's payload against the official JSON schema of its request in one protocol,
 * the same check strict mode applies on the wire (with the same validator), so that an invalid
 * command is refused with 400 before anything is sent; the error names the protocol's own
 * CallError code for the violation.
 * @throws AppError VALIDATION_ERROR (details.ocppErrorCode, details.errors).
 */
export function validateRequest(schemas: SchemaValidator, action: string, payload: unknown): void {
  try {
    schemas.validate(`urn:${action}.req`, payload);
  } catch (error) {
    const details = error as { rpcErrorCode?: string; details?: { errors?: unknown } };
    throw new AppError('VALIDATION_ERROR', `Invalid ${action} request: ${(error as Error).message}`, {
      ocppErrorCode: details.rpcErrorCode ?? 'FormatViolation',
      errors: details.details?.errors ?? [],
    });
  }
}
