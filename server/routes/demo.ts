import { Hono } from 'hono';
import { roleCapabilities } from '../auth/roles.ts';
import { mintEmbedSession } from '../auth/embed-sessions.ts';
import type { AppEnv } from '../http/env.ts';

export interface DemoHost {
  tenantId: string;
  staffId: string;
  /** The API key the demo page's "host server" mints sessions with; its secret never leaves the server. */
  apiKeyId: string;
}

/**
 * The demo staff page's host side: it mints a short-lived embed session for the demo staff member,
 * as a studio's own server would, so that no secret reaches the browser.
 */
export function demoRoutes(host: DemoHost) {
  return new Hono<AppEnv>().get('/demo/session', async (c) => {
    const session = await mintEmbedSession(c.var.sql, {
      tenantId: host.tenantId, createdByKey: host.apiKeyId, staffId: host.staffId,
      capabilities: roleCapabilities.owner, origin: new URL(c.req.url).origin,
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ data: { token: session.token, expires_at: session.expires_at } }, 200);
  });
}
