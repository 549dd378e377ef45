import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import { ApiError } from './errors.ts';

export interface RateLimitOptions {
  /** Requests one credential may make per minute. */
  perMinute: number;
}

/**
 * A fixed one-minute window per credential, counted in PostgreSQL with one upsert, so every BFF
 * instance sees the same count. Over the limit: 429 with `Retry-After` (seconds to the next window).
 */
export function rateLimit({ perMinute }: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const { sql, auth } = c.var;
    const [row]: [{ count: number; retry_after: number }?] = await sql`
      with stale as (
        delete from rate_limits
        where credential = ${auth.credentialId} and window_start < date_trunc('minute', now()))
      insert into rate_limits as r (credential, window_start, count)
      values (${auth.credentialId}, date_trunc('minute', now()), 1)
      on conflict (credential, window_start) do update set count = r.count + 1
      returning count, ceil(extract(epoch from date_trunc('minute', now()) + interval '1 minute' - now()))::int as retry_after`;
    c.header('RateLimit-Limit', String(perMinute));
    c.header('RateLimit-Remaining', String(Math.max(0, perMinute - row!.count)));
    if (row!.count > perMinute) {
      c.header('Retry-After', String(Math.max(1, row!.retry_after)));
      throw new ApiError(429, 'rate_limited', `More than ${perMinute} requests a minute with this credential; retry after the Retry-After seconds.`);
    }
    await next();
  };
}
