import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/connect.ts';
import type { AppEnv } from './env.ts';
import { ApiError, invalidRequest } from './errors.ts';
import { describe } from './validate.ts';

/** A row's ETag (a customer, a pass, a customer coupon): its version, quoted (a strong validator). */
export const etagOf = (version: number) => `"${version}"`;

/**
 * `etagOf` written by the database, for a reply built in SQL (and nested in another one's JSON): the
 * `version` column given, quoted.
 */
export const etagSql = (sql: Db, column: string) => sql`'"' || ${sql(column)} || '"'`;

/** `*`, or a comma-separated list of entity tags (`"3"`, `W/"3"`), as RFC 9110 writes `If-Match`. */
const ifMatchSyntax = /^\s*(\*|(W\/)?"[\x21\x23-\x7e]*"(\s*,\s*(W\/)?"[\x21\x23-\x7e]*")*)\s*$/;

/**
 * For a route that honours `If-Match` (checked by `assertIfMatch` under the row's lock): refuses a
 * malformed header with 400 (an unquoted `3` would otherwise be a 412 that no reload can cure) and
 * documents the header.
 */
export function ifMatch(): MiddlewareHandler<AppEnv> {
  return describe(async function ifMatch(c, next) {
    const value = c.req.header('if-match');
    if (value !== undefined && !ifMatchSyntax.test(value)) {
      throw invalidRequest([{ path: 'If-Match', message: 'Send the ETag as it was read, quoted ("3"), or *.' }]);
    }
    await next();
  }, {
    header: {
      name: 'If-Match',
      description: 'The ETag (the `etag` field) as it was read: a change since is 412 precondition_failed and nothing is written.',
    },
  });
}

/**
 * Optimistic concurrency: refuses with 412 when an `If-Match` header was sent and names neither the
 * current version nor `*`. The comparison is strong (RFC 9110 §13.1.1): a weak `W/"n"` never matches.
 * Without the header the write goes ahead, as seed 002's machine-to-machine clients expect. Call it under the row's lock, before anything is written;
 * `what` names the row in the message ("this pass").
 */
export function assertIfMatch(ifMatch: string | undefined, version: number, what: 'customer' | 'pass' | 'coupon'): void {
  if (ifMatch === undefined) return;
  const current = etagOf(version);
  const holds = ifMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === current;
  });
  if (!holds) {
    throw new ApiError(412, 'precondition_failed', `Someone else changed this ${what} since you loaded it.`, {
      current_etag: current,
    });
  }
}
