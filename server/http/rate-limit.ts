import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/connect.ts';
import type { AppEnv } from './env.ts';
import { ApiError } from './errors.ts';

export interface RateLimitOptions {
  /** Requests one principal (an API key, or a staff member's sessions from one key) may make per minute. */
  perMinute: number;
}

/** Counts one request of a principal in its current one-minute window. */
function count(sql: Db, credential: string) {
  return sql<[{ count: number; retry_after: number }]>`
    with stale as (
      delete from rate_limits
      where credential = ${credential} and window_start < date_trunc('minute', now()))
    insert into rate_limits as r (credential, window_start, count)
    values (${credential}, date_trunc('minute', now()), 1)
    on conflict (credential, window_start) do update set count = r.count + 1
    returning count, ceil(extract(epoch from date_trunc('minute', now()) + interval '1 minute' - now()))::int as retry_after`;
}

/**
 * A fixed one-minute window per credential — per `auth.principal`, so that the sessions a key mints
 * for one staff member share one allowance and a page cannot renew its way past the limit — counted
 * in PostgreSQL with one upsert, so every BFF instance sees the same count. Over the limit: 429 with
 * `Retry-After` (seconds to the next window).
 *
 * The upsert runs on the pool, in its own transaction, while the request's studio transaction
 * begins on another connection: its verdict is `c.var.admission`, which that transaction awaits
 * before the route runs — a request over the limit is refused before it has done anything, and what
 * its transaction began is rolled back. The upsert is sent before the transaction asks for a
 * connection, so a pool of one serves it first (pipelined ahead of the BEGIN).
 */
export function rateLimit({ perMinute }: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const { sql, auth } = c.var;
    const admission = count(sql, auth.principal).then(([row]) => {
      c.header('RateLimit-Limit', String(perMinute));
      c.header('RateLimit-Remaining', String(Math.max(0, perMinute - row.count)));
      if (row.count > perMinute) {
        c.header('Retry-After', String(Math.max(1, row.retry_after)));
        throw new ApiError(429, 'rate_limited', `More than ${perMinute} requests a minute with this credential (renewed session tokens count together); retry after the Retry-After seconds.`);
      }
    });
    // Handled here or by the transaction, never left unobserved (say, when BEGIN itself fails).
    admission.catch(() => {});
    c.set('admission', admission);
    await next();
    // A request that went through without the transaction's gate still owes its verdict.
    if (!c.error) await admission;
  };
}
