import { Hono } from 'hono';
import { z } from 'zod';
import { requireScope } from '../auth/authenticate.ts';
import { videosPage } from '../data/customer-purchases.ts';
import { customerAccess, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { keysetPage, timePageQuery } from '../http/time-cursor.ts';
import { validate } from '../http/validate.ts';

const videosQuery = z.strictObject(timePageQuery);

/** `GET /api/customer/{id}/videos` (passes:read): video and media purchases with their access window, newest first. */
export const videos = new Hono<AppEnv>()
  .get('/customer/:id/videos', requireScope('passes:read'), validate('param', customerParam), validate('query', videosQuery),
    customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { limit, cursor } = c.req.valid('query');
      const rows = await videosPage(sql, { tenantId: auth.tenant.id, customerId: c.req.valid('param').id, after: cursor, limit });
      return c.json(keysetPage(rows, limit), 200);
    });
