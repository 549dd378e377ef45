import { Hono } from 'hono';
import { requireScope } from '../auth/authenticate.ts';
import { activityCursor } from '../data/activity.ts';
import { customerDetail, DETAIL_LIMITS } from '../data/customer-detail.ts';
import { bookingStats, lifetimeValue, offeredActions, waiverCompliance } from '../domain/customer-detail.ts';
import { customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/errors.ts';
import { noQuery } from '../http/schemas.ts';
import { keysetPage } from '../http/time-cursor.ts';
import { validate } from '../http/validate.ts';

/**
 * `GET /api/customer/{id}/detail` (scope `profile:read`): everything the customer page shows above the
 * fold, in one SQL statement of its own after the API's middleware (data/customer-detail.ts). Each section is present only
 * when the credential holds the scope its own sub-resource needs — products and lifetime value
 * `passes:read`, booking stats `bookings:read`, coupons `coupons:read`, waivers `waivers:read`, activity
 * `activity:read`, emails `emails:read`, notes `notes:read`, roles `roles:read`, attribution
 * `attribution:read` — and absent (not empty) otherwise, so the aggregate never shows what a
 * sub-resource would refuse.
 */
export const customerDetailRoutes = new Hono<AppEnv>()
  .get('/customer/:id/detail', requireScope('profile:read'), validate('param', customerParam), validate('query', noQuery), async (c) => {
    const { auth, sql } = c.var;
    const { id } = c.req.valid('param');
    // customerAccess() without its round trip: the aggregate statement checks tenant, existence and deletion.
    if (auth.customerId && auth.customerId !== id) throw notFound('customer');
    const has = auth.scopes.has.bind(auth.scopes);
    const row = await customerDetail(sql, {
      tenantId: auth.tenant.id, customerId: id,
      sections: {
        products: has('passes:read'), bookingStats: has('bookings:read'), coupons: has('coupons:read'),
        waivers: has('waivers:read'), activity: has('activity:read'), emails: has('emails:read'), notes: has('notes:read'),
        roles: has('roles:read'), attribution: has('attribution:read'),
      },
    });
    if (!row) throw notFound('customer');
    const { tenant } = auth;
    const stats = {
      ...(row.purchase_stats ? { lifetime_value: lifetimeValue(row.purchase_stats, tenant.currency) } : {}),
      ...(row.booking_stats ? { bookings: bookingStats(row.booking_stats) } : {}),
    };
    return c.json({
      data: {
        profile: {
          id: row.id, type: 'customer' as const, firstname: row.firstname, lastname: row.lastname, email: row.email,
          mobile: row.mobile, customer_since: row.customer_since, updated_at: row.updated_at, archived: row.archived,
          guest: row.guest,
          // Other records of the same person are other customers: not for a session held to this one.
          ...(auth.customerId
            ? { linked_profile: null, linked_guests: [], possible_duplicates: [] }
            : { linked_profile: row.linked_profile, linked_guests: row.linked_guests, possible_duplicates: row.possible_duplicates }),
          etag: `"${row.version}"`,
        },
        stats,
        ...(row.products ? { products: keysetPage(row.products, DETAIL_LIMITS.products) } : {}),
        ...(row.coupons ? { coupons: row.coupons } : {}),
        ...(row.waivers ? { waivers: waiverCompliance(row.waivers) } : {}),
        ...(row.activity ? { activity: keysetPage(row.activity, DETAIL_LIMITS.activity, activityCursor) } : {}),
        ...(row.emails ? { emails: keysetPage(row.emails, DETAIL_LIMITS.emails) } : {}),
        ...(row.notes ? { notes: keysetPage(row.notes, DETAIL_LIMITS.notes) } : {}),
        ...(row.roles ? { roles: row.roles } : {}),
        ...('attribution' in row ? { attribution: row.attribution ?? null } : {}),
        capabilities: [...auth.scopes].sort(),
        actions: offeredActions(auth.scopes, row),
        tenant: { id: tenant.id, name: tenant.name, currency: tenant.currency, timezone: tenant.timezone, locale: tenant.locale },
      },
    }, 200);
  });
