import { Hono } from 'hono';
import { z } from 'zod';
import { transaction } from '../db/transaction.ts';
import { requireScope } from '../auth/authenticate.ts';
import { getCustomerCoupon, listCatalogue, listCustomerCoupons, type CatalogueRow } from '../data/coupons.ts';
import type { CatalogueCoupon } from '../data/replies.ts';
import { addCoupon, couponChecks, failed, updateCustomerCoupon, type CouponActor, type ExpiryInput } from '../domain/coupons.ts';
import type { TenantRules } from '../domain/format.ts';
import { page, pageQuery } from '../http/cursor.ts';
import { customerAccess, customerIdSchema, customerParam } from '../http/customer-access.ts';
import type { AppEnv, Auth } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { ifMatch } from '../http/etag.ts';
import { idempotency } from '../http/idempotency.ts';
import { idSchema, instantOrDateSchema, noQuery, reasonSchema, text } from '../http/schemas.ts';
import { responds, validate } from '../http/validate.ts';

const couponIdSchema = idSchema('cpn', 'coupon');
const customerCouponIdSchema = idSchema('ccpn', 'customer coupon');

const customerCouponParam = z.strictObject({ id: customerIdSchema, customerCouponId: customerCouponIdSchema });

const catalogueQuery = z.strictObject({
  /** Matches code or name, case-insensitively. */
  q: text.trim().max(100).optional(),
  /** Adds `eligible` and `ineligible_reasons` for this customer. */
  customer_id: customerIdSchema.optional(),
  /** Sort key: live first ('0', then '1'), lower(code), id. */
  ...pageQuery(z.tuple([z.enum(['0', '1']), text, text])),
});

const customerCouponsQuery = z.strictObject({
  status: z.enum(['active', 'all']).default('active'),
  /** Sort key: added_at (ISO text), id. */
  ...pageQuery(z.tuple([text, text])),
});

/** An instant with its offset, or a date (valid through that day in the studio's timezone); null = never. */
const expirySchema = instantOrDateSchema.nullable();

export const newCustomerCouponSchema = z.strictObject({
  coupon_id: couponIdSchema,
  /** Absent: the coupon's own valid-until (or never). */
  expires_at: expirySchema.optional(),
  /** Required for a courtesy: any coupon given by staff (an embed session), or on longer terms than the coupon's own. */
  reason: reasonSchema.optional(),
});

/**
 * The body of `PATCH …/coupons/{customerCouponId}`. The change honours `If-Match` with the coupon's
 * `etag`: stale → 412 `precondition_failed`, nothing written; the answer's `ETag` is the new one.
 * Without the header the change goes ahead.
 */
export const customerCouponChangeSchema = z.strictObject({
  expires_at: expirySchema.optional(),
  status: z.literal('removed').optional(),
  reason: reasonSchema,
}).refine((body) => (body.expires_at !== undefined) !== (body.status !== undefined), {
  path: ['status'], message: 'Send either a new expires_at or status "removed" (one of them).',
});

const toExpiry = (value: string | null): ExpiryInput =>
  value === null ? null : value.length === 10 ? { date: value } : new Date(value);

const actorOfCoupon = (auth: Auth): CouponActor => ({ id: auth.actor.id, kind: auth.actor.type === 'staff' ? 'staff' : 'api_key' });

const tenantFormat = (auth: Auth): Pick<TenantRules, 'timezone' | 'locale'> => ({ timezone: auth.tenant.timezone, locale: auth.tenant.locale });

function publicCatalogueCoupon(row: CatalogueRow, auth: Auth, forCustomer: boolean): CatalogueCoupon {
  const { sort: _s, in_date: _d, under_limit: _u, active_on_customer: _a, ...coupon } = row;
  const checks = couponChecks(row, tenantFormat(auth), forCustomer);
  const notLive = failed(checks.filter((c) => c.rule !== 'not_already_active'));
  const ineligible = forCustomer ? failed(checks) : null;
  return {
    ...coupon,
    remaining: row.max_redemptions === null ? null : Math.max(0, row.max_redemptions - row.redemptions),
    not_live_reasons: notLive,
    eligible: ineligible === null ? null : ineligible.length === 0,
    ineligible_reasons: ineligible,
  };
}

export const coupons = new Hono<AppEnv>()
  .get('/coupons', requireScope('coupons:read'), validate('query', catalogueQuery), async (c) => {
    const { auth, sql } = c.var;
    const { q, customer_id, limit, cursor } = c.req.valid('query');
    if (customer_id) {
      // The same answer as customerAccess(): another tenant's, a deleted or a session's other customer is 404.
      if (auth.customerId && auth.customerId !== customer_id) throw notFound('customer');
      const [row] = await sql`
        select 1 from customers where tenant_id = ${auth.tenant.id} and id = ${customer_id} and deleted_at is null`;
      if (!row) throw notFound('customer');
    }
    const rows = await listCatalogue(sql, { tenantId: auth.tenant.id, q: q || undefined, customerId: customer_id ?? null, limit, after: cursor });
    const { data, next_cursor } = page(rows, limit, (row) => row.sort);
    return c.json({ data: data.map((row) => publicCatalogueCoupon(row, auth, customer_id !== undefined)), next_cursor }, 200);
  })
  .get('/customer/:id/coupons', requireScope('coupons:read'), validate('param', customerParam),
    validate('query', customerCouponsQuery), customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { status, limit, cursor } = c.req.valid('query');
      const rows = await listCustomerCoupons(sql, { tenantId: auth.tenant.id, customerId: c.req.valid('param').id, status, limit, after: cursor });
      const { data, next_cursor } = page(rows, limit, (row) => [row.added_at, row.id]);
      return c.json({ data, next_cursor }, 200);
    })
  .post('/customer/:id/coupons', requireScope('coupons:write'), validate('param', customerParam), validate('query', noQuery),
    validate('json', newCustomerCouponSchema), idempotency(), customerAccess(), responds(201), async (c) => {
      const { auth, sql } = c.var;
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const data = await transaction(sql, (tx) => addCoupon(tx, {
        tenantId: auth.tenant.id, customerId: id, couponId: body.coupon_id, reason: body.reason ?? null,
        expiresAt: body.expires_at === undefined ? undefined : toExpiry(body.expires_at), actor: actorOfCoupon(auth),
      }));
      return c.json({ data }, 201);
    })
  .get('/customer/:id/coupons/:customerCouponId', requireScope('coupons:read'), validate('param', customerCouponParam), validate('query', noQuery),
    customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { id, customerCouponId } = c.req.valid('param');
      const row = await getCustomerCoupon(sql, auth.tenant.id, id, customerCouponId);
      if (!row) throw notFound('customer coupon');
      c.header('ETag', row.etag);
      return c.json({ data: row }, 200);
    })
  .patch('/customer/:id/coupons/:customerCouponId', requireScope('coupons:write'), validate('param', customerCouponParam), validate('query', noQuery),
    validate('json', customerCouponChangeSchema), ifMatch(), idempotency(), customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { id, customerCouponId } = c.req.valid('param');
      const body = c.req.valid('json');
      const data = await transaction(sql, (tx) => updateCustomerCoupon(tx, {
        tenantId: auth.tenant.id, customerId: id, customerCouponId, reason: body.reason, remove: body.status === 'removed',
        expiresAt: body.expires_at === undefined ? undefined : toExpiry(body.expires_at), actor: actorOfCoupon(auth),
        ifMatch: c.req.header('if-match'),
      }));
      c.header('ETag', data.etag);
      return c.json({ data }, 200);
    });
