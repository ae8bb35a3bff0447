import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaValidationError,
} from 'fastify';
import type { ErrorCode } from '@cimorings/contracts';
import { AppError, databaseUnavailable } from '../errors.js';

/** Fastify's own client errors, by status, translated to our catalogue. */
const CLIENT_ERROR_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'PERMISSION_REQUIRED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * The one translation of errors to HTTP answers, always `{ error: { code, message } }`.
 * Anything unexpected is logged and answered `500` without internals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'request failed');
    else if (appError.code === 'DATABASE_UNAVAILABLE')
      request.log.warn({ err: error }, 'database unavailable');
    const retryAfter = appError.details?.retryAfter;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    if (appError.code === 'UNAUTHORIZED') void reply.header('www-authenticate', 'Bearer');
    return reply.status(appError.httpStatus).send(appError.toBody());
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`).toBody()),
  );
}

/**
 * Fastify's `frameworkErrors`: what it refuses before any route or hook runs (a URL whose
 * percent-encoding is broken, `/api/users/%`) gets the same `{ error: { code, message } }`
 * body as every other error, instead of Fastify's own shape.
 */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const appError = toAppError(error);
  void reply.status(appError.httpStatus).send(appError.toBody());
}

function toAppError(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const fields = [...new Set(error.validation.map((issue) => fieldOf(issue, error.validationContext)))];
    const [first] = error.validation;
    const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const message = extra ? `${fields[0]} is not a known field` : error.message;
    return new AppError('VALIDATION_ERROR', message, { fields });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new AppError(CLIENT_ERROR_CODES[status] ?? 'BAD_REQUEST', error.message);
  }
  return databaseUnavailable(error) ?? new AppError('INTERNAL_ERROR', 'Internal server error');
}

/** The dotted path of the field an Ajv issue is about: `allowedStations.0`, `password`. */
function fieldOf(issue: FastifySchemaValidationError, context: string | undefined): string {
  const params = issue.params as { missingProperty?: string; additionalProperty?: string };
  const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const leaf = params.missingProperty ?? params.additionalProperty;
  return [path, leaf].filter(Boolean).join('.') || context || 'body';
}
