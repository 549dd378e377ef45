import { Hono } from 'hono';
import { roleCapabilities } from '../auth/roles.ts';
import { mintEmbedSession } from '../auth/embed-sessions.ts';
import type { Db } from '../db/connect.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';

export interface DemoHost {
  tenantId: string;
  staffId: string;
  /** The API key the demo page's "host server" mints sessions with; its secret never leaves the server. */
  apiKeyId: string;
}

/**
 * The demo staff page's host side: it mints a short-lived embed session for the demo staff member,
 * as a studio's own server would, so that no secret reaches the browser. The session is bound to the
 * origin the page was served from when that is the BFF's public origin or one on the demo studio's
 * embed list (`localhost` as well as `127.0.0.1`); under any other host name it is refused, as a
 * DNS-rebinding page (its own name resolving to this server) would otherwise be handed an owner session.
 */
export function demoRoutes(host: DemoHost) {
  return new Hono<AppEnv>().get('/demo/session', async (c) => {
    const { publicOrigin, sql } = c.var;
    const origin = await pageOrigin(sql, host.tenantId, new URL(c.req.url), publicOrigin);
    if (!origin) throw new ApiError(421, 'misdirected_request', `The demo is served at ${publicOrigin} only.`);
    const session = await mintEmbedSession(sql, {
      tenantId: host.tenantId, createdByKey: host.apiKeyId, staffId: host.staffId,
      capabilities: roleCapabilities.owner, origin,
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ data: { token: session.token, expires_at: session.expires_at } }, 200);
  });
}

/**
 * The origin of the page asking, when the demo serves it: the public origin when the host is its
 * host (matched by name alone, as behind a proxy that ends TLS the request arrives as http), else
 * the request's origin when the studio lists it; null otherwise.
 */
async function pageOrigin(sql: Db, tenantId: string, url: URL, publicOrigin: string): Promise<string | null> {
  if (url.host === new URL(publicOrigin).host) return publicOrigin;
  const [listed] = await sql`select 1 from tenants where id = ${tenantId} and ${url.origin} = any(embed_origins)`;
  return listed ? url.origin : null;
}
