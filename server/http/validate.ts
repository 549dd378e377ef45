import { zValidator } from '@hono/zod-validator';
import type { Context, MiddlewareHandler, ValidationTargets } from 'hono';
import { z } from 'zod';
import { ApiError, invalidRequest, type FieldError } from './errors.ts';

/** The key under which route middleware carries its description for the OpenAPI document. */
export const routeDoc = Symbol('routeDoc');

export interface RouteDoc {
  scope?: string;
  target?: keyof ValidationTargets;
  schema?: z.ZodType;
  summary?: string;
  /** A request header the route honours (`Idempotency-Key`, `If-Match`). */
  header?: { name: string; description: string };
  /** What the route answers on success (see {@link responds}). */
  response?: ResponseDoc;
}

/** A route's success answer; a route without one answers the kit's `{ "data": … }` JSON with a 2xx. */
export interface ResponseDoc {
  status: 200 | 201 | 204;
  description?: string;
  /** Its body by media type; left out, `{ "data": … }` JSON (a 204 has no body). */
  content?: Record<string, z.ZodType>;
}

/**
 * Declares what a route answers on success (`responds(201)`, `responds(204)`, or another body:
 * `responds(200, { content: { 'text/csv': z.string() } })`), for the OpenAPI document. It only passes
 * the request on; the document's test holds the declaration to the real answer.
 */
export function responds(status: ResponseDoc['status'], body: Omit<ResponseDoc, 'status'> = {}): MiddlewareHandler {
  return describe(async function responds(_c, next) {
    await next();
  }, { response: { status, ...body } });
}

/** Attaches a description to a middleware so that the route table documents itself. */
export function describe<T extends object>(middleware: T, doc: RouteDoc): T {
  return Object.assign(middleware, { [routeDoc]: doc });
}

export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'This field is not accepted.' }));
    }
    return [{ path: path || '(root)', message: issue.message }];
  });
}

const JSON_MEDIA = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * Refuses a body sent as anything but JSON: Hono's JSON validator reads such a body as `{}`, so its
 * fields, the unknown ones and guards such as `only_if_free` alike, would be dropped without a word.
 */
function refuseOtherMedia(c: Context): void {
  const type = c.req.header('content-type');
  const body = type !== undefined || c.req.header('transfer-encoding') !== undefined || Number(c.req.header('content-length') ?? 0) > 0;
  if (body && !JSON_MEDIA.test(type ?? '')) {
    const message = 'Send the body as JSON, with Content-Type: application/json.';
    throw new ApiError(415, 'invalid_request', message, { fields: [{ path: '(body)', message }] });
  }
}

/**
 * `zValidator` answering the kit's error body (field paths included) instead of zod's raw result; for
 * a JSON body it also refuses any other media type (415).
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) throw invalidRequest(fieldErrors(result.error));
  });
  const checked: typeof middleware = (c, next) => {
    if (target === 'json') refuseOtherMedia(c);
    return middleware(c, next);
  };
  return describe(checked, { target, schema });
}
