import { Hono } from 'hono';
import { z } from 'zod';
import { requireScope } from '../auth/authenticate.ts';
import { subscriptionsPage } from '../data/customer-purchases.ts';
import { customerAccess, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { keysetPage, timePageQuery } from '../http/time-cursor.ts';
import { validate } from '../http/validate.ts';

const subscriptionsQuery = z.strictObject(timePageQuery);

/** `GET /api/customer/{id}/subscriptions` (passes:read): memberships with plan, cycle and next billing, newest first. */
export const subscriptions = new Hono<AppEnv>()
  .get('/customer/:id/subscriptions', requireScope('passes:read'), validate('param', customerParam),
    validate('query', subscriptionsQuery), customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { limit, cursor } = c.req.valid('query');
      const rows = await subscriptionsPage(sql, { tenantId: auth.tenant.id, customerId: c.req.valid('param').id, after: cursor, limit });
      return c.json(keysetPage(rows, limit), 200);
    });
