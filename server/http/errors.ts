import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env.ts';
import { failedBehindSettings } from './tenant-transaction.ts';

export type ErrorCode =
  | 'invalid_request' | 'unauthenticated' | 'session_expired' | 'forbidden' | 'not_found' | 'conflict'
  | 'precondition_failed' | 'rule_violation' | 'rate_limited' | 'payload_too_large' | 'misdirected_request' | 'unavailable' | 'internal';

export interface FieldError {
  path: string;
  message: string;
}

/** An expected failure: `onError` renders it as `{ error: { code, message, details } }` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const invalidRequest = (fields: FieldError[], message = 'The request is not valid.') =>
  new ApiError(400, 'invalid_request', message, { fields });

export const notFound = (what = 'resource') => new ApiError(404, 'not_found', `No such ${what}.`);

export const forbidden = (scope: string) =>
  new ApiError(403, 'forbidden', `This credential lacks the scope ${scope}.`, { scope });

export const conflict = (message: string, fields?: FieldError[]) =>
  new ApiError(409, 'conflict', message, fields ? { fields } : undefined);

export const errorBody = (code: ErrorCode, message: string, details?: unknown) =>
  ({ error: { code, message, ...(details === undefined ? {} : { details }) } });

export interface ErrorHandlerOptions {
  /** Where an unexpected failure is reported, once per request (default `console.error`). */
  log?: (message: string, error?: unknown) => void;
}

/**
 * The app's one `onError`: an `ApiError` as its body and status, Hono's own refusals as 400, a
 * statement timeout, a deadlock or a serialization failure as 503 (nothing was kept; send it again); anything else is logged with the request's id and answered 500 without
 * internals. A statement refused only because the studio's settings failed ahead of it (25P02) is
 * not logged: the request then fails with the settings' error, which comes here next and is.
 */
export function errorHandler({ log = console.error }: ErrorHandlerOptions = {}): ErrorHandler<AppEnv> {
  return async function errorHandler(error, c) {
    if (error instanceof ApiError) return c.json(errorBody(error.code, error.message, error.details), error.status);
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's own refusals, such as a body that is not JSON.
      return c.json(errorBody('invalid_request', error.message, { fields: [{ path: '(body)', message: error.message }] }), 400);
    }
    const code = (error as { code?: string }).code;
    if (code === '57014') {
      return c.json(errorBody('unavailable', 'The database took too long to answer; try again.'), 503);
    }
    // Two transactions waited on each other (or could not be ordered): PostgreSQL rolled this one back
    // whole, so the same request can simply be sent again. Logged, as it says something about lock order.
    if (code === '40P01' || code === '40001') {
      log(`[${c.var.requestId}] ${c.req.method} ${c.req.path} collided with another transaction`, error);
      return c.json(errorBody('unavailable', 'The change collided with another made at the same moment; nothing was saved, try again.'),
        503, { 'Retry-After': '1' });
    }
    if (!await failedBehindSettings(c, error)) log(`[${c.var.requestId}] ${c.req.method} ${c.req.path} failed`, error);
    return c.json(errorBody('internal', `Something went wrong on our side (request ${c.var.requestId}).`), 500);
  };
}
