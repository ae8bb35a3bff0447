/**
 * The closed catalogue of error codes in `{ error: { code, message } }` bodies, with the HTTP
 * status each one answers with. Clients branch on the code, never on the message.
 */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  BAD_REQUEST: 400,
  /** A command of another OCPP version than the station speaks (CONTRACT section 7). */
  UNSUPPORTED_ACTION: 400,
  UNAUTHORIZED: 401,
  PERMISSION_REQUIRED: 403,
  STATION_FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  LAST_ADMIN: 409,
  BUILT_IN_ROLE: 409,
  ROLE_IN_USE: 409,
  STATION_OFFLINE: 409,
  RESERVATION_REFUSED: 409,
  PROFILE_CHANGE_REFUSED: 409,
  PROFILE_REJECTED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_ATTEMPTS: 429,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  OCPP_CALL_ERROR: 502,
  DATABASE_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  STATION_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The body of every REST error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}
