import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { transaction } from '../db/transaction.ts';
import { requireScope } from '../auth/authenticate.ts';
import type { Db } from '../db/connect.ts';
import { getBooking, listBookings, publicBooking, type BookingOrder } from '../data/bookings.ts';
import { actorOf } from '../data/records.ts';
import type { BookingStatus } from '../data/replies.ts';
import { bookClass } from '../domain/booking.ts';
import { cancelBooking } from '../domain/cancellation.ts';
import { checkEligibility, PASS_ORDER } from '../domain/eligibility.ts';
import { cursorOf, limitSchema, page } from '../http/cursor.ts';
import { customerAccess, customerIdSchema, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { forbidden, notFound } from '../http/errors.ts';
import { idempotency } from '../http/idempotency.ts';
import { idSchema, instantOrDateSchema, noQuery, reasonSchema, text } from '../http/schemas.ts';
import { keyIdSchema, keyTimeSchema } from '../http/time-cursor.ts';
import { responds, validate } from '../http/validate.ts';
import { passIdSchema } from './passes.ts';

const bookingStatuses = ['booked', 'attended', 'no_show', 'cancelled_free', 'cancelled_late'] as const;

const classIdSchema = idSchema('cls', 'class');
const bookingIdSchema = idSchema('bk', 'booking');

const bookingParam = z.strictObject({ id: customerIdSchema, bookingId: bookingIdSchema });

const bookingOrders = ['asc', 'desc'] as const satisfies readonly BookingOrder[];

/**
 * The cursor of a booking list, `[class start, booking id, order]` as base64url JSON: it carries
 * the order it pages in, so it is never read in the other direction. A cursor from before `order`
 * existed (`[class start, booking id]`) pages newest first, as it always did.
 */
const bookingCursor = cursorOf(z.tuple([keyTimeSchema, keyIdSchema, z.enum(bookingOrders).optional()]))
  .transform(([time, id, order = 'desc']) => ({ after: [time, id] as const, order }));

const bookingListQuery = z.strictObject({
  /** One status or several, comma-separated. */
  status: text.max(100)
    .transform((s) => s.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.enum(bookingStatuses)).min(1))
    .optional(),
  from: instantOrDateSchema.optional()
    .describe("Classes starting at or after this instant; a date (2026-03-10) from that day's start in the studio's timezone."),
  to: instantOrDateSchema.optional()
    .describe("Classes starting before this instant; a date (2026-03-10) through that day's end in the studio's timezone."),
  order: z.enum(bookingOrders, { error: 'Use asc (soonest class first) or desc (newest first).' }).default('desc')
    .describe('By class start time, then booking id: desc (the default) newest first, asc soonest first. '
      + 'Send the same order with every page: a cursor pages only in the order it was given out in.'),
  limit: limitSchema,
  cursor: bookingCursor.optional()
    .describe('The next_cursor of the previous page, opaque. It carries the order of its list: with the other '
      + 'order it is refused (400 invalid_request, field cursor), so a page never continues in the wrong direction.'),
}).superRefine((query, ctx) => {
  if (query.cursor && query.cursor.order !== query.order) {
    ctx.addIssue({
      code: 'custom', path: ['cursor'],
      message: `This cursor pages the list in ${query.cursor.order} order: send order=${query.cursor.order} with it, `
        + `or leave the cursor out to start over in ${query.order} order.`,
    });
  }
});

export const newBookingSchema = z.strictObject({
  class_id: classIdSchema,
  pass_id: passIdSchema.optional(),
});

export const cancelSchema = z.strictObject({
  /** Give the credit back on a late cancellation (needs credits:write and a reason). */
  waive_late_fee: z.boolean().optional(),
  /** Cancel only if it is still free: past the deadline, 422 `free_window_open` and nothing changes. */
  only_if_free: z.boolean().optional(),
  reason: reasonSchema.optional(),
}).refine((body) => !body.waive_late_fee || body.reason !== undefined, {
  path: ['reason'], message: 'Waiving a late cancellation needs a reason.',
});

/**
 * Waiving a late fee gives the credit back, so it also needs credits:write. Checked before
 * idempotency(): a replay would otherwise hand a session without it the stored answer of one with it.
 */
function requireCreditsToWaive(): MiddlewareHandler<AppEnv, string, { out: { json: z.output<typeof cancelSchema> } }> {
  return async function requireCreditsToWaive(c, next) {
    if (c.req.valid('json').waive_late_fee && !c.var.auth.scopes.has('credits:write')) throw forbidden('credits:write');
    await next();
  };
}

const canBookQuery = z.strictObject({ class_id: classIdSchema, pass_id: passIdSchema.optional() });

async function bookingOr404(sql: Db, tenantId: string, customerId: string, bookingId: string) {
  const booking = await getBooking(sql, tenantId, customerId, bookingId);
  if (!booking) throw notFound('booking');
  return publicBooking(booking);
}

export const bookings = new Hono<AppEnv>()
  .get('/customer/:id/bookings', requireScope('bookings:read'), validate('param', customerParam),
    validate('query', bookingListQuery), customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { status, from, to, order, limit, cursor } = c.req.valid('query');
      const rows = await listBookings(sql, {
        tenantId: auth.tenant.id, customerId: c.req.valid('param').id, statuses: status as BookingStatus[] | undefined,
        from, to, timezone: auth.tenant.timezone, order, limit, after: cursor?.after,
      });
      const { data, next_cursor } = page(rows, limit, (row) => [...row.sort, order]);
      return c.json({ data: data.map(publicBooking), next_cursor }, 200);
    })
  .get('/customer/:id/can-book', requireScope('bookings:read'), validate('param', customerParam), validate('query', canBookQuery),
    customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { class_id, pass_id } = c.req.valid('query');
      const result = await checkEligibility(sql, {
        tenantId: auth.tenant.id, customerId: c.req.valid('param').id, classId: class_id, passId: pass_id,
      });
      return c.json({
        data: {
          can_book: result.canBook,
          pass_id: result.chosen?.id ?? null,
          checks: result.checks,
          eligible_passes: result.eligible.map((p) => ({
            pass_id: p.id, product_name: p.product_name, expires_at: p.expires_at, credits_left: p.credits_left,
          })),
          pass_order: PASS_ORDER,
          class: { id: result.cls.id, name: result.cls.name, starts_at: result.cls.starts_at, credit_cost: result.cls.credit_cost },
        },
      }, 200);
    })
  .post('/customer/:id/bookings', requireScope('bookings:write'), validate('param', customerParam), validate('query', noQuery),
    validate('json', newBookingSchema), idempotency(), customerAccess(), responds(201), async (c) => {
      const { auth, sql } = c.var;
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const data = await transaction(sql, async (tx) => {
        const result = await bookClass(tx, {
          tenantId: auth.tenant.id, customerId: id, classId: body.class_id, passId: body.pass_id ?? null,
          actor: actorOf(auth), idempotencyKey: c.req.header('idempotency-key') ?? null,
        });
        const booking = await bookingOr404(tx, auth.tenant.id, id, result.booking.id);
        return { ...booking, credits_left: result.credits_left };
      });
      return c.json({ data }, 201);
    })
  .post('/customer/:id/bookings/:bookingId/cancel', requireScope('bookings:write'), validate('param', bookingParam), validate('query', noQuery),
    validate('json', cancelSchema), requireCreditsToWaive(), idempotency(), customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { id, bookingId } = c.req.valid('param');
      const body = c.req.valid('json');
      const data = await transaction(sql, async (tx) => {
        const result = await cancelBooking(tx, {
          tenantId: auth.tenant.id, customerId: id, bookingId, waiveLateFee: body.waive_late_fee, onlyIfFree: body.only_if_free,
          reason: body.reason ?? null,
          actor: actorOf(auth), idempotencyKey: c.req.header('idempotency-key') ?? null,
        });
        const booking = await bookingOr404(tx, auth.tenant.id, id, bookingId);
        return {
          ...booking, free_cancellation: result.free, free_cancel_until: result.deadline,
          credits_returned: result.credits_returned, credits_left: result.credits_left,
        };
      });
      return c.json({ data }, 200);
    });
