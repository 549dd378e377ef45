import type { Db } from '../db/connect.ts';
import { ApiError } from './errors.ts';

/** A row's ETag (a customer, a pass, a customer coupon): its version, quoted (a strong validator). */
export const etagOf = (version: number) => `"${version}"`;

/**
 * `etagOf` written by the database, for a reply built in SQL (and nested in another one's JSON): the
 * `version` column given, quoted.
 */
export const etagSql = (sql: Db, column: string) => sql`'"' || ${sql(column)} || '"'`;

/**
 * Optimistic concurrency: refuses with 412 when an `If-Match` header was sent and names neither the
 * current version nor `*`. The comparison is strong (RFC 9110 §13.1.1): a weak `W/"n"` never matches. Without the header the write goes ahead, as seed 002's
 * machine-to-machine clients expect. Call it under the row's lock, before anything is written;
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
