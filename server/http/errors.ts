import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ErrorCode =
  | 'invalid_request' | 'unauthenticated' | 'session_expired' | 'forbidden' | 'not_found' | 'conflict'
  | 'precondition_failed' | 'rule_violation' | 'rate_limited' | 'payload_too_large' | 'unavailable' | 'internal';

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
