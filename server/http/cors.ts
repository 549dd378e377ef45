import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import { ApiError } from './errors.ts';

const allowHeaders = 'Authorization, Content-Type, Idempotency-Key, If-Match';
const exposeHeaders = 'ETag, Retry-After, X-Request-Id, Idempotent-Replayed, Content-Disposition, RateLimit-Limit, RateLimit-Remaining';

/** A cross-origin request: one whose Origin header names another origin than the BFF's own (`c.var.publicOrigin`). */
export const foreignOrigin = (origin: string | undefined, own: string) =>
  origin !== undefined && origin !== own ? origin : null;

/**
 * CORS for the studios' embed origins. Preflights carry no credential, so CORS is answered for an
 * origin that some studio allows — errors included, so that a widget can read a 401 and renew its
 * session; `requireAllowedOrigin` then holds each request to its own studio's list.
 */
export function cors(): MiddlewareHandler<AppEnv> {
  return async function cors(c, next) {
    const origin = foreignOrigin(c.req.header('origin'), c.var.publicOrigin);
    if (!origin) return next();
    const [known] = await c.var.sql`select 1 from tenants where ${origin} = any(embed_origins) limit 1`;
    if (!known) throw new ApiError(403, 'forbidden', `The origin ${origin} is not allowed to call this API.`);
    if (c.req.method === 'OPTIONS') {
      c.res = c.body(null, 204, {
        'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
        'Access-Control-Allow-Headers': allowHeaders,
        'Access-Control-Max-Age': '600',
      });
    } else {
      await next();
    }
    c.res.headers.set('Access-Control-Allow-Origin', origin);
    c.res.headers.set('Access-Control-Expose-Headers', exposeHeaders);
    c.res.headers.append('Vary', 'Origin');
  };
}

/**
 * After authentication: a cross-origin request must come from an origin on the credential's own
 * studio list, and a session minted for one origin is refused from any other.
 *
 * Browsers send `Origin` on every cross-origin request, so a session's request without it comes from
 * a same-origin page of the BFF itself (a same-origin GET may omit it) or from a program that is not
 * a browser: it is refused unless the session is bound to the BFF's public origin or to the origin the
 * request was addressed to (the demo at `localhost` as well as at `127.0.0.1`; no such session is
 * minted for a host name the studio does not list, see routes/demo.ts). (A program can forge the header, so
 * this binding holds browsers to the origin, not thieves; the token's short life and its revocations
 * are what end a stolen one.)
 */
export function requireAllowedOrigin(): MiddlewareHandler<AppEnv> {
  return async function requireAllowedOrigin(c, next) {
    const { auth } = c.var;
    const origin = c.req.header('origin');
    if (auth.origin && origin !== undefined && origin !== auth.origin) {
      throw new ApiError(403, 'forbidden', `This session was issued for ${auth.origin}, not ${origin}.`);
    }
    if (auth.origin && origin === undefined && foreignOrigin(auth.origin, c.var.publicOrigin)
      && auth.origin !== new URL(c.req.url).origin) {
      throw new ApiError(403, 'forbidden', `This session was issued for ${auth.origin}; send it from that origin.`);
    }
    const foreign = foreignOrigin(origin, c.var.publicOrigin);
    if (foreign && !auth.tenant.embedOrigins.includes(foreign)) {
      throw new ApiError(403, 'forbidden', `The origin ${foreign} is not on this studio's list of embed origins.`);
    }
    await next();
  };
}
