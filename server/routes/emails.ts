import { Hono } from 'hono';
import { z } from 'zod';
import { requireScope } from '../auth/authenticate.ts';
import { emailsPage } from '../data/emails.ts';
import { customerAccess, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { keysetPage, timePageQuery } from '../http/time-cursor.ts';
import { validate } from '../http/validate.ts';

const emailsQuery = z.strictObject(timePageQuery);

/** `GET /api/customer/{id}/emails` (emails:read): emails sent to the customer, newest first. */
export const emails = new Hono<AppEnv>()
  .get('/customer/:id/emails', requireScope('emails:read'), validate('param', customerParam), validate('query', emailsQuery),
    customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { limit, cursor } = c.req.valid('query');
      const rows = await emailsPage(sql, { tenantId: auth.tenant.id, customerId: c.req.valid('param').id, after: cursor, limit });
      return c.json(keysetPage(rows, limit), 200);
    });
