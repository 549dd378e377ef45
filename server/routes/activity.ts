import { Hono } from 'hono';
import { z } from 'zod';
import { requireScope } from '../auth/authenticate.ts';
import { activityCursor, activityPage, activityTypes } from '../data/activity.ts';
import { customerAccess, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { text } from '../http/schemas.ts';
import { keysetPage, timePageQuery } from '../http/time-cursor.ts';
import { validate } from '../http/validate.ts';

/** One type or several: `?type=booked,cancelled` or `?type=booked&type=cancelled`. */
const typeFilter = z.union([text.max(500), z.array(text.max(500)).max(activityTypes.length)])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(',')).map((t) => t.trim()).filter(Boolean))
  .pipe(z.array(z.enum(activityTypes)).min(1, 'Name at least one activity type.'))
  .describe(`One activity type or several, comma-separated or repeated: ${activityTypes.join(', ')}.`);

/** One pass's activity: the rows naming it, and those of its bookings (a cancellation names only the booking). */
const passFilter = text.min(1).max(100).describe("A pass's id: only the activity of that pass and of the bookings it paid for.");

const activityQuery = z.strictObject({
  type: typeFilter.optional(), pass_id: passFilter.optional(),
  // The last row's time to the microsecond and id (`activityCursor`).
  ...timePageQuery,
});

/** `GET /api/customer/{id}/activity` (activity:read): the customer's typed feed, newest first. */
export const activity = new Hono<AppEnv>()
  .get('/customer/:id/activity', requireScope('activity:read'), validate('param', customerParam), validate('query', activityQuery),
    customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { type, pass_id, limit, cursor } = c.req.valid('query');
      const rows = await activityPage(sql, {
        tenantId: auth.tenant.id, customerId: c.req.valid('param').id, types: type, passId: pass_id, after: cursor, limit,
      });
      return c.json(keysetPage(rows, limit, activityCursor), 200);
    });
