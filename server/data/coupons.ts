import type { Db } from '../db/connect.ts';
import { etagSql } from '../http/etag.ts';
import { likeContaining } from './search.ts';
import type { CatalogueCoupon, CustomerCoupon } from './replies.ts';

/**
 * Reads of the coupon catalogue and of the coupons on a customer (writes go through
 * `server/domain/coupons.ts`).
 *
 * **Effective status.** A customer coupon is stored `active`, `redeemed`, `expired` or `removed`; one
 * stored `active` whose `expires_at` has passed reads as `expired` — no job has to touch it first.
 * `isActiveNow` and `effectiveStatus` below are that definition, used by every read and by the rules.
 *
 * **Redemptions** of a catalogue coupon are the times it was put on a customer and not taken back:
 * customer coupons in any status but `removed` (active, redeemed, expired). `max_redemptions` caps them
 * across the tenant.
 */

const iso = (sql: Db, column: string) => sql.unsafe(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** True for a customer coupon (`alias`) that is in force now: stored active and not past its expiry. */
export const isActiveNow = (sql: Db, alias: string) =>
  sql.unsafe(`(${alias}.status = 'active' and (${alias}.expires_at is null or ${alias}.expires_at > now()))`);

/** The status a customer coupon (`alias`) reads as: `active` past its expiry is `expired`. */
export const effectiveStatus = (sql: Db, alias: string) =>
  sql.unsafe(`(case when ${alias}.status = 'active' and ${alias}.expires_at <= now() then 'expired' else ${alias}.status end)`);

const person = (sql: Db, column: string, staff: string, key: string) => sql.unsafe(
  `case when ${column} is null then null else json_build_object('id', ${column}, 'name', coalesce(${staff}.name, ${key}.name)) end`,
);

/**
 * The coupons on a customer (`CustomerCoupon`), newest first (`added_at desc, id desc`);
 * `status: 'active'` keeps those in force now. A postgres.js fragment, not awaited: run it, or nest it
 * in another query — `(select json_agg(cc) from (${customerCouponsSql(sql, t, c, 'active')}) cc)` — so
 * that an aggregate read gets it in the same round trip. Timestamps are ISO text (`…T10:00:00.000Z`),
 * so the rows read the same as rows or inside json. To filter or page, wrap it: `from (${…}) cc where …`.
 */
export function customerCouponsSql(sql: Db, tenantId: string, customerId: string, status: 'active' | 'all') {
  return sql<CustomerCoupon[]>`
    select cc.id, cc.coupon_id, c.code, c.name, c.percent_off, c.amount_off, t.currency::text as currency,
      c.duration, c.duration_months, c.stackable,
      ${effectiveStatus(sql, 'cc')} as status,
      ${iso(sql, 'cc.added_at')} as added_at,
      ${person(sql, 'cc.added_by', 'ast', 'akey')} as added_by,
      cc.reason, ${iso(sql, 'cc.expires_at')} as expires_at, cc.uses_left,
      ${iso(sql, 'cc.removed_at')} as removed_at,
      ${person(sql, 'cc.removed_by', 'rst', 'rkey')} as removed_by,
      cc.removed_reason, ${etagSql(sql, 'cc.version')} as etag
    from customer_coupons cc
    join coupons c on c.tenant_id = cc.tenant_id and c.id = cc.coupon_id
    join tenants t on t.id = cc.tenant_id
    left join staff ast on ast.tenant_id = cc.tenant_id and ast.id = cc.added_by
    left join api_keys akey on akey.tenant_id = cc.tenant_id and akey.id = cc.added_by
    left join staff rst on rst.tenant_id = cc.tenant_id and rst.id = cc.removed_by
    left join api_keys rkey on rkey.tenant_id = cc.tenant_id and rkey.id = cc.removed_by
    where cc.tenant_id = ${tenantId} and cc.customer_id = ${customerId}
      ${status === 'active' ? sql`and ${isActiveNow(sql, 'cc')}` : sql``}
    order by cc.added_at desc, cc.id desc`;
}

/** A customer's coupons, keyset-paged on (added_at, id) descending; `limit + 1` rows. */
export async function listCustomerCoupons(sql: Db, args: {
  tenantId: string; customerId: string; status: 'active' | 'all'; limit: number; after?: (string | number)[];
}) {
  const [addedAt, id] = (args.after ?? []) as string[];
  return sql<CustomerCoupon[]>`
    select * from (${customerCouponsSql(sql, args.tenantId, args.customerId, args.status)}) cc
    ${id !== undefined ? sql`where (cc.added_at, cc.id) < (${addedAt!}, ${id})` : sql``}
    order by cc.added_at desc, cc.id desc
    limit ${args.limit + 1}`;
}

export async function getCustomerCoupon(sql: Db, tenantId: string, customerId: string, customerCouponId: string) {
  const [row]: [CustomerCoupon?] = await sql`
    select * from (${customerCouponsSql(sql, tenantId, customerId, 'all')}) cc where cc.id = ${customerCouponId}`;
  return row;
}

/**
 * A catalogue coupon with what its rules read: the three parts of "live". The route derives the rest of
 * the reply (`remaining`, the failed rules, eligibility) from it.
 */
export interface CatalogueRow extends Omit<CatalogueCoupon, 'remaining' | 'not_live_reasons' | 'eligible' | 'ineligible_reasons'> {
  /** Not past `valid_until`. */
  in_date: boolean;
  /** Fewer redemptions than `max_redemptions`. */
  under_limit: boolean;
  /** Instances in force on the customer asked about (0 without one). */
  active_on_customer: number;
  /** Sort key (live first, then code), stripped before the reply. */
  sort: [string, string, string];
}

function catalogueSql(sql: Db, tenantId: string, customerId: string | null) {
  return sql<CatalogueRow[]>`
    select c.id, c.code, c.name, c.percent_off, c.amount_off, t.currency::text as currency, c.duration, c.duration_months,
      ${iso(sql, 'c.valid_until')} as valid_until, c.max_redemptions, r.redemptions, c.stackable, c.active,
      f.in_date, f.under_limit, c.active and f.in_date and f.under_limit as live,
      ${customerId === null ? sql`0` : sql`(
        select count(*)::int from customer_coupons x
        where x.tenant_id = c.tenant_id and x.customer_id = ${customerId} and x.coupon_id = c.id and ${isActiveNow(sql, 'x')})`
      } as active_on_customer,
      array[case when c.active and f.in_date and f.under_limit then '0' else '1' end, lower(c.code), c.id] as sort
    from coupons c
    join tenants t on t.id = c.tenant_id
    cross join lateral (
      select count(*)::int as redemptions from customer_coupons x
      where x.tenant_id = c.tenant_id and x.coupon_id = c.id and x.status <> 'removed'
        -- A deleted customer's coupon can no longer be removed (every route answers 404): it holds no place.
        and not (x.status = 'active' and exists (
          select 1 from customers d where d.tenant_id = x.tenant_id and d.id = x.customer_id and d.deleted_at is not null))) r
    cross join lateral (
      select c.valid_until is null or c.valid_until > now() as in_date,
        c.max_redemptions is null or r.redemptions < c.max_redemptions as under_limit) f
    where c.tenant_id = ${tenantId}`;
}

/** The catalogue, live coupons first, then by code; `q` matches code or name; keyset-paged, `limit + 1` rows. */
export async function listCatalogue(sql: Db, args: {
  tenantId: string; q?: string; customerId: string | null; limit: number; after?: (string | number)[];
}) {
  const [rank, code, id] = (args.after ?? []) as string[];
  return sql<CatalogueRow[]>`
    select * from (${catalogueSql(sql, args.tenantId, args.customerId)}) c
    where true
      ${args.q ? sql`and (lower(c.code) ${likeContaining(sql, args.q)} or lower(c.name) ${likeContaining(sql, args.q)})` : sql``}
      ${id !== undefined ? sql`and (c.sort[1], c.sort[2], c.sort[3]) > (${rank!}, ${code!}, ${id})` : sql``}
    order by c.sort[1], c.sort[2], c.sort[3]
    limit ${args.limit + 1}`;
}

/** One catalogue coupon as the rules see it, for the customer given (null: none). */
export async function getCatalogueCoupon(sql: Db, tenantId: string, couponId: string, customerId: string | null) {
  const [row]: [CatalogueRow?] = await sql`
    select * from (${catalogueSql(sql, tenantId, customerId)}) c where c.id = ${couponId}`;
  return row;
}
