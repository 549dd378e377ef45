import { Hono } from 'hono';
import { z } from 'zod';
import { requireScope } from '../auth/authenticate.ts';
import { auditPage } from '../data/audit.ts';
import { customerAccess, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { keysetPage, timePageQuery } from '../http/time-cursor.ts';
import { validate } from '../http/validate.ts';

const auditQuery = z.strictObject(timePageQuery);

/**
 * `GET /api/customer/{id}/audit` (audit:read): every manual change on the customer, with actor,
 * reason, before and after; a deleted customer's too, its deletion included.
 */
export const audit = new Hono<AppEnv>()
  .get('/customer/:id/audit', requireScope('audit:read'), validate('param', customerParam), validate('query', auditQuery),
    customerAccess({ deleted: true }), async (c) => {
      const { auth, sql } = c.var;
      const { limit, cursor } = c.req.valid('query');
      const rows = await auditPage(sql, { tenantId: auth.tenant.id, customerId: c.req.valid('param').id, after: cursor, limit });
      return c.json(keysetPage(rows, limit), 200);
    });
