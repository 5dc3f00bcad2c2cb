/** Turning every failure into `{ ok: false, code, message }` with the right HTTP status. */
import type { ErrorRequestHandler, Response } from 'express';
import type { ErrorCode } from '../../shared/events.ts';
import { RateLimitedError } from '../auth/rate-limits.ts';
import { PodiumError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import { isRedisOutageError } from '../store/outage.ts';

const STATUS: Record<ErrorCode, number> = {
  invalid_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  round_not_open: 409,
  sheet_locked: 409,
  finalized: 409,
  conflict: 409,
  op_id_conflict: 409,
  restoring: 503,
  nothing_to_reveal: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
  sheet_signed: 409,
  incomplete: 409,
  appeal_closed: 409,
  not_signed: 409,
};

/** The HTTP status of an error code. */
export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

/** Send an error answer. */
export function sendError(res: Response, code: ErrorCode, message: string, status = statusOf(code)): void {
  res.status(status).json({ ok: false, code, message });
}

/**
 * Errors of the request itself carry a `status`: express's body parsers (with a `type`) and its
 * router (a malformed %-escape in the URL, without one).
 */
interface ClientError {
  type?: unknown;
  status: number;
}

function isClientError(e: unknown): e is ClientError {
  return typeof e === 'object' && e !== null && 'status' in e && typeof e.status === 'number';
}

/**
 * The last middleware: PodiumErrors keep their code, unreadable requests (body-parser failures,
 * malformed URL escapes) become invalid_payload (413 when too large), anything else is logged and
 * masked as 'internal'.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      logger.error({ err: error, path: req.path }, 'HTTP error after the answer started');
      next(error);
      return;
    }
    if (error instanceof RateLimitedError) {
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
      sendError(res, 'rate_limited', error.message);
    } else if (error instanceof PodiumError) {
      sendError(res, error.code, error.message);
    } else if (isClientError(error) && error.status === 413) {
      sendError(res, 'invalid_payload', 'the request body is too large', 413);
    } else if (isClientError(error) && error.status >= 400 && error.status < 500) {
      const what =
        typeof error.type === 'string' ? `body cannot be read (${error.type})` : 'URL cannot be read';
      sendError(res, 'invalid_payload', `the request ${what}`);
    } else if (isRedisOutageError(error)) {
      logger.warn({ err: error, method: req.method, path: req.path }, 'store unreachable');
      sendError(
        res,
        'unavailable',
        'the score store did not answer: not known to be saved; send it again with the same opId',
      );
    } else {
      logger.error({ err: error, method: req.method, path: req.path }, 'unexpected HTTP error');
      sendError(res, 'internal', 'internal error');
    }
  };
}
