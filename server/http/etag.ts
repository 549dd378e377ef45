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

/** An entity tag, weak or strong (RFC 9110 §8.8.3): a comma or a `*` inside its quotes is part of it. */
const entityTag = /(?:W\/)?"[\x21\x23-\x7e]*"/g;
const entityTagList = new RegExp(`^${entityTag.source}(?:[ \\t]*,[ \\t]*${entityTag.source})*$`);

/**
 * `If-Match` as RFC 9110 writes it: `*` (any version) when that is the whole field, else the entity
 * tags of its comma-separated list; null when it is neither. The tags are read whole, never split on
 * commas, so `"stale,*"` is one tag that matches no version, not a wildcard.
 */
export function parseIfMatch(field: string): '*' | string[] | null {
  const value = field.trim();
  if (value === '*') return '*';
  return entityTagList.test(value) ? value.match(entityTag) : null;
}

/**
 * For a route that honours `If-Match` (checked by `assertIfMatch` under the row's lock): refuses a
 * malformed header with 400 (an unquoted `3` would otherwise be a 412 that no reload can cure) and
 * documents the header.
 */
export function ifMatch(): MiddlewareHandler<AppEnv> {
  return describe(async function ifMatch(c, next) {
    const value = c.req.header('if-match');
    if (value !== undefined && !parseIfMatch(value)) {
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
  const tags = parseIfMatch(ifMatch);
  const holds = tags === '*' || (tags?.includes(current) ?? false);
  if (!holds) {
    throw new ApiError(412, 'precondition_failed', `Someone else changed this ${what} since you loaded it.`, {
      current_etag: current,
    });
  }
}
