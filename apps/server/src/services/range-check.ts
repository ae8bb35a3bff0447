import { AppError } from '../errors.js';

/** Runs range checks, answering a RangeError with the CallError PropertyConstraintViolation. */
export function inRange<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof RangeError) throw ocppViolation('PropertyConstraintViolation', error.message);
    throw error;
  }
}

/** An error the OCPP transport answers with the given CallError code. */
function ocppViolation(ocppErrorCode: string, message: string): AppError {
  return new AppError('VALIDATION_ERROR', message, { ocppErrorCode });
}
