import { Hono } from 'hono';
import { z } from 'zod';
import { requireScope } from '../auth/authenticate.ts';
import { appointmentsPage } from '../data/appointments.ts';
import { customerAccess, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { keysetPage, timePageQuery } from '../http/time-cursor.ts';
import { validate } from '../http/validate.ts';

const appointmentsQuery = z.strictObject(timePageQuery);

/** `GET /api/customer/{id}/appointments` (bookings:read): 1:1 appointment bookings with service and facilitator, latest first. */
export const appointments = new Hono<AppEnv>()
  .get('/customer/:id/appointments', requireScope('bookings:read'), validate('param', customerParam),
    validate('query', appointmentsQuery), customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { limit, cursor } = c.req.valid('query');
      const rows = await appointmentsPage(sql, { tenantId: auth.tenant.id, customerId: c.req.valid('param').id, after: cursor, limit });
      return c.json(keysetPage(rows, limit), 200);
    });
