import { Hono } from 'hono';
import { z } from 'zod';
import { requireScope } from '../auth/authenticate.ts';
import { assertKeyMayGrant, maxTtlSeconds, mintEmbedSession, mintRefused, revokeEmbedSession } from '../auth/embed-sessions.ts';
import { scopeSchema } from '../auth/scopes.ts';
import { foreignOrigin } from '../http/cors.ts';
import { customerIdSchema } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { ApiError } from '../http/errors.ts';
import { noBody, noQuery } from '../http/schemas.ts';
import { responds, validate } from '../http/validate.ts';

export const newSessionSchema = z.strictObject({
  staff_id: z.string().regex(/^staff_\w{1,40}$/, 'A staff id looks like staff_…'),
  capabilities: z.array(scopeSchema.exclude(['embed:create'])).min(1).max(40),
  customer_id: customerIdSchema.optional(),
  // Required: a session is for one page's origin, and a request from any other is refused (cors.ts).
  origin: z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)
    .describe("The origin of the page the session is for (`https://portal.example.com`): the BFF's own, or one on the studio's embed-origin list."),
  ttl_seconds: z.number().int().min(30).max(maxTtlSeconds).optional(),
});

const sessionParam = z.strictObject({ sessionId: z.string().regex(/^ses_\w{1,40}$/) });

export const sessions = new Hono<AppEnv>()
  .get('/session', validate('query', noQuery), async (c) => {
    const { auth } = c.var;
    return c.json({
      data: {
        tenant: {
          id: auth.tenant.id, name: auth.tenant.name, currency: auth.tenant.currency,
          timezone: auth.tenant.timezone, locale: auth.tenant.locale,
        },
        actor: auth.actor,
        capabilities: [...auth.scopes],
        customer_id: auth.customerId,
        expires_at: auth.expiresAt,
      },
    }, 200);
  })
  // No Idempotency-Key here (a client's header is ignored): a stored answer would hold the token for
  // anyone replaying it. A retry mints a second session instead; the first, whose token nobody
  // received, expires unused within its TTL.
  .post('/embed/sessions', requireScope('embed:create'), validate('query', noQuery), validate('json', newSessionSchema),
    responds(201, {
      description: 'The session: its `token`, shown only this once, for the page; its `id`, to revoke it.',
      content: { 'application/json': z.object({ data: z.object({ id: z.string(), token: z.string(), expires_at: z.iso.datetime() }) }) },
    }), async (c) => {
    const { auth, sql } = c.var;
    if (auth.kind !== 'api_key') throw new ApiError(403, 'forbidden', 'Only an API key may mint embed sessions.', { scope: 'embed:create' });
    const body = c.req.valid('json');
    assertKeyMayGrant(auth.scopes, body.capabilities);
    // A page on the BFF's own origin needs no listing (as for CORS); any other must be on the studio's list.
    if (foreignOrigin(body.origin, c.var.publicOrigin) && !auth.tenant.embedOrigins.includes(body.origin)) {
      throw mintRefused('origin_allowed', "The page origin must be on the studio's list of embed origins.",
        `The origin ${body.origin} is not on this studio's list of embed origins.`, { field: 'origin', origin: body.origin });
    }
    const session = await mintEmbedSession(sql, {
      tenantId: auth.tenant.id, createdByKey: auth.credentialId, staffId: body.staff_id,
      capabilities: body.capabilities, customerId: body.customer_id, origin: body.origin, ttlSeconds: body.ttl_seconds,
    });
    return c.json({ data: session }, 201);
  })
  .delete('/embed/sessions/:sessionId', requireScope('embed:create'), validate('param', sessionParam), validate('query', noQuery),
    validate('json', noBody), responds(204), async (c) => {
      const { auth, sql } = c.var;
      await revokeEmbedSession(sql, auth.tenant.id, c.req.valid('param').sessionId);
      return c.body(null, 204);
    });
