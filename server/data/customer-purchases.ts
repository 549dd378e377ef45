import type { Db } from '../db/connect.ts';
import { etagSql } from '../http/etag.ts';
import { creditsTotal, passStatus, purchaseOrder, unlimited } from './passes.ts';
import { isoUtc, olderThan, timeKey, type Sorted, type TimeCursor } from './keyset.ts';

/**
 * A customer's purchases seen as the seed 002 sub-resources name them: subscriptions (memberships)
 * and videos & media, plus the products list of the detail aggregate. Reads only; purchases are
 * written by server/domain/purchases.ts.
 */


export interface SubscriptionItem extends Sorted {
  id: string;
  type: 'subscription';
  plan: {
    id: string; name: string; price: number; billing_cycle_days: number;
    /** null: unlimited classes. */
    credits_per_cycle: number | null; rollover_cap: number | null;
  };
  status: 'active' | 'expired' | 'cancelled' | 'refunded';
  current_cycle: number | null;
  cycle_started_at: string | null;
  /** null once the membership ends with the current cycle (or has ended). */
  next_billing_at: string | null;
  /** When a cancelled membership ends; null while it renews. */
  ends_at: string | null;
  credits_per_cycle: number | null;
  credits_left: number | null;
  unlimited: boolean;
  started_at: string;
  channel: 'online' | 'offline' | 'admin';
  payment_status: 'paid' | 'pending' | 'failed' | 'refunded';
  amount: number;
  currency: string;
}

/** Memberships (products of kind `membership`), newest first; `limit + 1` rows (un-awaited). */
export function subscriptionsPage(sql: Db, args: { tenantId: string; customerId: string; after?: TimeCursor; limit: number }) {
  return sql<SubscriptionItem[]>`
    select p.id, 'subscription' as type,
      json_build_object('id', pr.id, 'name', pr.name, 'price', pr.price, 'billing_cycle_days', pr.billing_cycle_days,
        'credits_per_cycle', pr.credits, 'rollover_cap', pr.rollover_cap) as plan,
      ${passStatus(sql)} as status, p.current_cycle, ${isoUtc(sql, 'p.cycle_started_at')} as cycle_started_at,
      ${isoUtc(sql, 'p.next_billing_at')} as next_billing_at, ${isoUtc(sql, 'p.expires_at')} as ends_at,
      pr.credits as credits_per_cycle, p.credits_left, pr.credits is null as unlimited,
      ${isoUtc(sql, 'p.purchased_at')} as started_at, p.channel, p.payment_status, p.amount, t.currency,
      ${timeKey(sql, 'p.purchased_at', 'p.id')} as sort
    from passes p
    join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
    join tenants t on t.id = p.tenant_id
    where p.tenant_id = ${args.tenantId} and p.customer_id = ${args.customerId} and pr.kind = 'membership'
      ${olderThan(sql, 'p.purchased_at', 'p.id', args.after)}
    order by p.purchased_at desc, p.id desc
    limit ${args.limit + 1}`;
}

export interface VideoItem extends Sorted {
  id: string;
  type: 'video';
  product: { id: string; name: string };
  status: 'active' | 'expired' | 'cancelled' | 'refunded';
  /** Whether the customer can watch it now: paid, started, not expired, not refunded. */
  has_access: boolean;
  access_starts_at: string;
  /** null: access for life. */
  access_expires_at: string | null;
  purchased_at: string;
  channel: 'online' | 'offline' | 'admin';
  payment_status: 'paid' | 'pending' | 'failed' | 'refunded';
  amount: number;
  currency: string;
}

/** Video and media purchases (products of kind `video`) with their access window, newest first; `limit + 1` rows. */
export function videosPage(sql: Db, args: { tenantId: string; customerId: string; after?: TimeCursor; limit: number }) {
  return sql<VideoItem[]>`
    select p.id, 'video' as type, json_build_object('id', pr.id, 'name', pr.name) as product,
      ${passStatus(sql)} as status,
      (p.status = 'active' and p.payment_status = 'paid' and p.starts_at <= now()
        and (p.expires_at is null or p.expires_at > now())) as has_access,
      ${isoUtc(sql, 'p.starts_at')} as access_starts_at, ${isoUtc(sql, 'p.expires_at')} as access_expires_at,
      ${isoUtc(sql, 'p.purchased_at')} as purchased_at, p.channel, p.payment_status, p.amount, t.currency,
      ${timeKey(sql, 'p.purchased_at', 'p.id')} as sort
    from passes p
    join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
    join tenants t on t.id = p.tenant_id
    where p.tenant_id = ${args.tenantId} and p.customer_id = ${args.customerId} and pr.kind = 'video'
      ${olderThan(sql, 'p.purchased_at', 'p.id', args.after)}
    order by p.purchased_at desc, p.id desc
    limit ${args.limit + 1}`;
}

/**
 * Every purchase of the customer — passes, memberships, bundles, retail, gift cards, videos — as
 * `GET …/passes` lists them (same fields, same order, same cursor), `limit + 1` rows (un-awaited).
 * The detail aggregate nests it; its `next_cursor` continues in `GET …/passes`.
 */
export function productsFirstPage(sql: Db, args: { tenantId: string; customerId: string; limit: number }) {
  return sql`
    select p.id, 'pass' as type,
      json_build_object('id', pr.id, 'name', pr.name, 'kind', pr.kind, 'class_types', pr.class_types) as product,
      ${passStatus(sql)} as status,
      ${unlimited(sql)} as unlimited,
      ${creditsTotal(sql)} as credits_total,
      p.credits_left, ${isoUtc(sql, 'p.purchased_at')} as purchased_at, ${isoUtc(sql, 'p.starts_at')} as starts_at,
      ${isoUtc(sql, 'p.expires_at')} as expires_at, p.channel, p.payment_status, p.amount, t.currency, p.current_cycle,
      ${isoUtc(sql, 'p.cycle_started_at')} as cycle_started_at, ${isoUtc(sql, 'p.next_billing_at')} as next_billing_at,
      ${etagSql(sql, 'p.version')} as etag, ${purchaseOrder(sql)} as sort
    from passes p
    join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
    join tenants t on t.id = p.tenant_id
    where p.tenant_id = ${args.tenantId} and p.customer_id = ${args.customerId}
    order by sort desc
    limit ${args.limit + 1}`;
}
