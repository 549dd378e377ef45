import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

/**
 * On every /api answer, errors included: `Cache-Control: no-store` unless the route set its own (the
 * answers hold a studio's customers, and `POST /api/embed/sessions` a bearer token, which no browser
 * or proxy cache should keep), and `X-Content-Type-Options: nosniff`, so that no browser reads a
 * JSON or CSV answer as a script or a page.
 */
export function apiHeaders(): MiddlewareHandler<AppEnv> {
  return async function apiHeaders(c, next) {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('Cache-Control', 'no-store');
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  };
}
