import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind } from '../domain-kernel/domain-error';
import {
  ChainIntegrityError,
  UnreadableEventError,
  ChainMismatchError,
  DuplicateEventIdError,
  InvalidPositionError,
  StreamNotFoundError,
  StoreLockedError,
  WrongExpectedRevisionError,
} from '../event-store/event-store.errors';
import { InvalidQueryError } from '../read-store/read-store.port';
import type { ErrorResponse } from './error-response';

const STATUS_OF: Readonly<Record<DomainErrorKind, number>> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule: 422,
};

/**
 * The one place where errors become HTTP answers. Domain errors map by kind; HTTP exceptions
 * (validation, auth) keep their body; anything else is a bug: logged with its stack, answered 500
 * without internals.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body = this.toResponse(exception, request);
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toResponse(exception: unknown, request: FastifyRequest): ErrorResponse {
    const correlationId = String(request.id);
    if (exception instanceof DomainError) {
      return {
        statusCode: STATUS_OF[exception.kind],
        error: exception.code,
        message: exception.message,
        ...(exception.details.rule ? { rule: exception.details.rule } : {}),
        ...(exception.details.fields?.length ? { fields: exception.details.fields } : {}),
        correlationId,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'error' in response) {
        const body = response as ErrorResponse;
        // Our own bodies carry a stable code; Nest's built-in ones ("Not Found") get one here.
        const error = /^[A-Z][A-Z0-9_]*$/.test(body.error) ? body.error : httpCode(status);
        return { ...body, error, statusCode: status, correlationId };
      }
      const message = typeof response === 'string' ? response : exception.message;
      return { statusCode: status, error: httpCode(status), message, correlationId };
    }
    if (exception instanceof WrongExpectedRevisionError || exception instanceof ChainMismatchError) {
      return { statusCode: 409, error: 'CONCURRENT_MODIFICATION', message: exception.message, correlationId };
    }
    if (exception instanceof DuplicateEventIdError) {
      return { statusCode: 409, error: 'CONFLICT', message: exception.message, correlationId };
    }
    if (exception instanceof InvalidQueryError) {
      return {
        statusCode: 400,
        error: 'INVALID_QUERY',
        message: exception.message,
        fields: [{ field: exception.field, problems: [exception.message] }],
        correlationId,
      };
    }
    if (exception instanceof InvalidPositionError) {
      return { statusCode: 400, error: 'INVALID_POSITION', message: exception.message, correlationId };
    }
    if (exception instanceof ChainIntegrityError) {
      this.logger.error({ err: exception, correlationId }, 'stored history fails verification');
      return {
        statusCode: 503,
        error: 'INTEGRITY_FAULT',
        message: `${exception.message}. Nothing was written; the fault has been logged for the operator.`,
        correlationId,
      };
    }
    if (exception instanceof UnreadableEventError) {
      this.logger.error({ err: exception, correlationId }, 'stored history fails verification');
      return {
        statusCode: 503,
        error: 'INTEGRITY_FAULT',
        message: `${exception.message}. Nothing was written; the fault has been logged for the operator.`,
        correlationId,
      };
    }
    if (exception instanceof StreamNotFoundError) {
      return { statusCode: 404, error: 'NOT_FOUND', message: exception.message, correlationId };
    }
    if (exception instanceof StoreLockedError) {
      return { statusCode: 503, error: 'STORE_UNAVAILABLE', message: exception.message, correlationId };
    }
    const storageFault = storageFaultOf(exception);
    if (storageFault !== undefined) {
      this.logger.error({ err: exception, correlationId }, 'the data store refused a write or a read');
      return { statusCode: 503, ...storageFault, correlationId };
    }
    const fastifyStatus = (exception as { statusCode?: number }).statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      // Errors Fastify raises before a handler runs: malformed JSON, body too large, bad content type.
      return {
        statusCode: fastifyStatus,
        error: httpCode(fastifyStatus),
        message: (exception as Error).message,
        correlationId,
      };
    }
    this.logger.error({ err: exception, correlationId }, 'unexpected error');
    return {
      statusCode: 500,
      error: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred; it has been logged',
      correlationId,
    };
  }
}

/**
 * The embedded store's file system failing under it (SQLite result codes, better-sqlite3's
 * SqliteError): a full disk, a read-only file system, an I/O error. Not the caller's fault and not
 * a bug: 503 with what the operator must fix. The append failed, so nothing of the request was
 * written; reads keep being served from what is stored.
 */
function storageFaultOf(exception: unknown): { error: string; message: string } | undefined {
  const code = (exception as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const retry = 'Nothing was written; reads keep working. Retry once the operator has fixed the storage.';
  if (code === 'SQLITE_FULL')
    return {
      error: 'STORAGE_FULL',
      message: `The data store is full (no space left on the disk holding DATA_DIR). ${retry}`,
    };
  if (code.startsWith('SQLITE_READONLY'))
    return {
      error: 'STORAGE_READ_ONLY',
      message: `The data store is read-only (the disk or directory holding DATA_DIR refuses writes). ${retry}`,
    };
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN'))
    return {
      error: 'STORAGE_UNAVAILABLE',
      message: `The data store could not be read or written (${code}: an I/O error on the disk holding DATA_DIR). ${retry}`,
    };
  return undefined;
}

function httpCode(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'TOO_MANY_REQUESTS';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}
