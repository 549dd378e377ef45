import type { Fragment } from 'postgres';
import type { Db } from '../db/connect.ts';
import { activityPage, type ActivityItem } from './activity.ts';
import { customerCouponsSql } from './coupons.ts';
import { productsFirstPage } from './customer-purchases.ts';
import { emailsPage, type EmailItem } from './emails.ts';
import { isoUtc, type Sorted } from './keyset.ts';
import { notesPage, type NoteItem } from './notes.ts';
import type {
  BookingStats as BookingStatsReply, CustomerCoupon, DetailProfile, LifetimeValue, Pass, WaiverItem, WithDates,
} from './replies.ts';
import { waiverItemsSql } from './waivers.ts';

/**
 * The customer detail aggregate in ONE statement: the customer row, with every section a scalar
 * sub-select beside it. A customer of another tenant, a deleted one or none at all gives no row — the
 * existence check of `customerAccess()` folded in, so the whole read is one round trip after
 * authentication, however long the customer's history. Each section is only read when the route asks
 * for it (the credential holds its scope); the lists are the first pages of their sub-resources, built by
 * the same fragments, fetched `limit + 1` so the route can hand out their `next_cursor`.
 */

export const DETAIL_LIMITS = { products: 100, activity: 20, emails: 10, notes: 5, relatives: 10 } as const;

export interface DetailSections {
  products: boolean;
  bookingStats: boolean;
  coupons: boolean;
  waivers: boolean;
  activity: boolean;
  emails: boolean;
  notes: boolean;
  roles: boolean;
  attribution: boolean;
}

/** What the lifetime value is computed from. */
export type PurchaseStats = Pick<LifetimeValue, 'paid' | 'refunded' | 'purchases'>;

/** The booking stats as counted; the attendance rate is derived from them (domain/customer-detail.ts). */
export type BookingStats = Omit<BookingStatsReply, 'attendance_rate'>;

/** The profile columns (the route adds `type` and the `etag` of `version`) and each section asked for. */
export interface DetailRow extends Omit<WithDates<DetailProfile, 'customer_since' | 'updated_at'>, 'type' | 'etag'> {
  version: number;
  purchase_stats?: PurchaseStats;
  booking_stats?: BookingStats;
  /** GET …/passes rows (with `sort`). */
  products?: (Pass & Sorted)[];
  coupons?: CustomerCoupon[];
  waivers?: WaiverItem[];
  activity?: ActivityItem[];
  emails?: EmailItem[];
  notes?: NoteItem[];
  roles?: Record<string, unknown>[];
  attribution?: Record<string, unknown> | null;
}

/** A related customer record `r` (linked profile, linked guests, same-email records) as JSON. */
const related = (sql: Db) => sql`json_build_object('id', r.id, 'firstname', r.firstname, 'lastname', r.lastname,
  'email', r.email, 'guest', r.is_guest, 'archived', r.archived, 'customer_since', ${isoUtc(sql, 'r.created_at')})`;

/** A booking `b` of class `cl` as a visit. */
const visit = (sql: Db) => sql`json_build_object('booking_id', b.id, 'class_id', cl.id, 'name', cl.name, 'kind', cl.kind,
  'starts_at', ${isoUtc(sql, 'cl.starts_at')}, 'facilitator', cl.facilitator, 'location', cl.location)`;

/**
 * The customer's first booking meeting `where` by class start (`desc`: the latest), with its class.
 * Counting needs the bookings alone (each carries its class's start); only this one row joins its
 * class, so a customer page never reads more of `classes` than one row per visit shown.
 */
const visitOf = (sql: Db, where: Fragment, direction: Fragment) => sql`(
  select ${visit(sql)} from bookings b join classes cl on cl.tenant_id = b.tenant_id and cl.id = b.class_id
  where b.tenant_id = c.tenant_id and b.customer_id = c.id and ${where}
  order by b.class_starts_at ${direction}, b.id ${direction} limit 1)`;

/** The rows of a nested list, in the list's own order (json_agg keeps no order it is not told). */
const rowsOf = (sql: Db, fragment: Fragment, order: Fragment) =>
  sql`(select coalesce(json_agg(x order by ${order}), '[]') from (${fragment}) x)`;

export async function customerDetail(sql: Db, args: { tenantId: string; customerId: string; sections: DetailSections }) {
  const { tenantId, customerId, sections: s } = args;
  const list = { tenantId, customerId };
  const [row]: [DetailRow?] = await sql`
    select c.id, c.firstname, c.lastname, c.email, c.mobile, c.created_at as customer_since, c.updated_at, c.archived,
      c.is_guest as guest, c.version,
      (select ${related(sql)} from customers r
        where r.tenant_id = c.tenant_id and r.id = c.linked_profile_id and r.deleted_at is null) as linked_profile,
      (select coalesce(json_agg(${related(sql)} order by r.created_at desc, r.id), '[]') from (
        select * from customers r
        where r.tenant_id = c.tenant_id and r.linked_profile_id = c.id and r.deleted_at is null
        order by r.created_at desc, r.id limit ${DETAIL_LIMITS.relatives}) r) as linked_guests,
      -- The "multiple records" case of seed 000: other live records under the same email (in any case), not
      -- linked to this one — found through the email index by migration 00008's function, as row-level security
      -- would not let a plain lower(email) condition use it.
      (select coalesce(json_agg(${related(sql)} order by r.created_at desc, r.id), '[]') from (
        select * from customers_sharing_email(c.tenant_id, c.email) r
        where r.id <> c.id and r.id is distinct from c.linked_profile_id and r.linked_profile_id is distinct from c.id
        order by r.created_at desc, r.id limit ${DETAIL_LIMITS.relatives}) r) as possible_duplicates
      ${s.products ? sql`,
      -- A membership's amount is per cycle, charged once for each cycle begun; a refund returns the last charge.
      (select json_build_object(
          'paid', coalesce(sum(p.amount * coalesce(p.current_cycle, 1)) filter (where p.payment_status in ('paid', 'refunded')), 0),
          'refunded', coalesce(sum(p.amount) filter (where p.payment_status = 'refunded'), 0),
          'purchases', count(*) filter (where p.payment_status in ('paid', 'refunded')))
        from passes p where p.tenant_id = c.tenant_id and p.customer_id = c.id) as purchase_stats,
      ${rowsOf(sql, productsFirstPage(sql, { ...list, limit: DETAIL_LIMITS.products }), sql`x.sort desc`)} as products` : sql``}
      ${s.bookingStats ? sql`,
      (select json_build_object(
          'total', count(*),
          'upcoming', count(*) filter (where b.status = 'booked' and b.class_starts_at > now()),
          'attended', count(*) filter (where b.status = 'attended'),
          'no_shows', count(*) filter (where b.status = 'no_show'),
          'late_cancellations', count(*) filter (where b.status = 'cancelled_late'),
          'free_cancellations', count(*) filter (where b.status = 'cancelled_free'),
          'last_visit', ${visitOf(sql, sql`b.status = 'attended'`, sql`desc`)},
          'next_booking', ${visitOf(sql, sql`b.status = 'booked' and b.class_starts_at > now()`, sql``)})
        from bookings b
        where b.tenant_id = c.tenant_id and b.customer_id = c.id) as booking_stats` : sql``}
      ${s.coupons ? sql`,
      ${rowsOf(sql, customerCouponsSql(sql, tenantId, customerId, 'active'), sql`x.added_at desc, x.id desc`)} as coupons` : sql``}
      ${s.waivers ? sql`,
      ${rowsOf(sql, waiverItemsSql(sql, tenantId, customerId), sql`x.required desc, x.name, x.policy_id`)} as waivers` : sql``}
      ${s.activity ? sql`,
      ${rowsOf(sql, activityPage(sql, { ...list, limit: DETAIL_LIMITS.activity }), sql`x.sort desc`)} as activity` : sql``}
      ${s.emails ? sql`,
      ${rowsOf(sql, emailsPage(sql, { ...list, limit: DETAIL_LIMITS.emails }), sql`x.sort desc`)} as emails` : sql``}
      ${s.notes ? sql`,
      ${rowsOf(sql, notesPage(sql, { ...list, limit: DETAIL_LIMITS.notes }), sql`x.sort desc`)} as notes` : sql``}
      ${s.roles ? sql`, c.role_links as roles` : sql``}
      ${s.attribution ? sql`, c.attribution` : sql``}
    from customers c
    where c.tenant_id = ${tenantId} and c.id = ${customerId} and c.deleted_at is null`;
  return row;
}
