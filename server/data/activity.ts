import type { Db } from '../db/connect.ts';
import { isoUtc, timeKey, type TimeCursor } from './keyset.ts';
import type { Activity } from './replies.ts';

/** Every activity type the table allows (00001_init.sql), the filter vocabulary of `…/activity?type=`. */
export const activityTypes = [
  'customer_created', 'profile_edited', 'archived', 'unarchived', 'deleted',
  'booked', 'cancelled', 'attended', 'no_show', 'purchased', 'refunded', 'email',
  'credits_used', 'credits_added', 'credits_removed', 'credits_expired', 'credits_rolled_over',
  'expiry_changed', 'coupon_added', 'coupon_updated', 'coupon_removed', 'waiver_accepted', 'note_added',
] as const;

export type ActivityType = (typeof activityTypes)[number];

export interface ActivityItem extends Activity {
  type: ActivityType;
  /** [time, zero-padded write-order number, id]: the order, and (time and id) the cursor; see `activityCursor`. */
  sort: [string, string, string];
}

/**
 * The digits of the write-order number in an activity row's sort key (00014_activity_write_order.sql),
 * zero-padded so that the key sorts as text, as the detail aggregate sorts it: any bigint fits.
 */
const SEQ_DIGITS = 19;

/**
 * A page's cursor names its last row by time and id, not by its write-order number: that number counts
 * every studio's activity, so cursors would tell one studio how busy the others are.
 */
export const activityCursor = (sort: ActivityItem['sort']) => [sort[0], sort[2]];

/**
 * A customer's activity, newest first (rows of one moment in the order they were written), optionally
 * of some types only and of one pass only; `limit + 1` rows (un-awaited). A row is a pass's when its
 * `data.pass_id` names it or, without one (a booking's cancellation names only `booking_id`), when the
 * booking it names was paid with that pass. A cursor naming no activity of this customer goes on from its time.
 */
export function activityPage(sql: Db, args: {
  tenantId: string; customerId: string; types?: readonly ActivityType[] | null; passId?: string | null; after?: TimeCursor; limit: number;
}) {
  const { tenantId, customerId, after } = args;
  return sql<ActivityItem[]>`
    select a.id, a.type, a.summary, a.data,
      case when a.actor is null then null else json_build_object('id', a.actor, 'name', coalesce(
        (select s.name from staff s where s.tenant_id = a.tenant_id and s.id = a.actor),
        (select k.name from api_keys k where k.tenant_id = a.tenant_id and k.id = a.actor))) end as actor,
      ${isoUtc(sql, 'a.occurred_at')} as occurred_at,
      ${timeKey(sql, 'a.occurred_at', sql`lpad(a.seq::text, ${SEQ_DIGITS}, '0')`, 'a.id')} as sort
    from activity a
    where a.tenant_id = ${tenantId} and a.customer_id = ${customerId}
      ${args.types?.length ? sql`and a.type in ${sql(args.types)}` : sql``}
      ${args.passId ? sql`and coalesce(a.data->>'pass_id', (select b.pass_id from bookings b
        where b.tenant_id = a.tenant_id and b.id = a.data->>'booking_id')) = ${args.passId}` : sql``}
      ${after ? sql`and a.occurred_at <= ${after[0]}::text::timestamptz and (a.occurred_at, a.seq) < (${after[0]}::text::timestamptz,
        (select l.seq from activity l where l.tenant_id = ${tenantId} and l.customer_id = ${customerId} and l.id = ${after[1]}))` : sql``}
    order by a.occurred_at desc, a.seq desc
    limit ${args.limit + 1}`;
}
