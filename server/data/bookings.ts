import type { Fragment } from 'postgres';
import type { Db } from '../db/connect.ts';
import { isoUtc, timeKey, type TimeCursor } from './keyset.ts';
import { passStatus } from './passes.ts';
import type { Booking, BookingStatus, WithDates } from './replies.ts';

/** Reads of a customer's bookings for the API (writes go through `server/domain/`). */

/** The direction of a booking list by class start time (then booking id): `desc` newest first, `asc` soonest first. */
export type BookingOrder = 'asc' | 'desc';

export interface BookingRow extends WithDates<Booking, 'booked_at' | 'cancelled_at'> {
  /** Sort key, `[class start to the microsecond, booking id]` (`timeKey`), stripped before the reply. */
  sort: [string, string];
}

/** The last moment a booking of a class starting at `startsAt` cancels for free (domain/cancellation.ts); columns or values. */
export const freeCancelDeadlineOf = (sql: Db, startsAt: Fragment, hours: number | Fragment, timezone: string | Fragment) =>
  sql`((${startsAt} at time zone ${timezone}) - make_interval(hours => ${hours}::int)) at time zone ${timezone}`;

function bookingSelect(sql: Db, tenantId: string, customerId: string) {
  return sql`
    select b.id, 'booking' as type, b.status,
      json_build_object('id', c.id, 'name', c.name, 'class_type', c.class_type, 'kind', c.kind,
        'starts_at', ${isoUtc(sql, 'c.starts_at')}, 'duration_minutes', c.duration_minutes,
        'facilitator', c.facilitator, 'location', c.location, 'credit_cost', c.credit_cost) as class,
      case when p.id is null then null else json_build_object('id', p.id, 'product_name', pr.name, 'status', ${passStatus(sql)}) end as pass,
      b.credits_used, b.booked_at, b.cancelled_at, b.late_fee_waived,
      case when b.status = 'booked'
        then ${isoUtc(sql, freeCancelDeadlineOf(sql, sql`c.starts_at`, sql`t.free_cancel_hours`, sql`t.timezone`))} end as free_cancel_until,
      ${timeKey(sql, 'c.starts_at', 'b.id')} as sort
    from bookings b
    join tenants t on t.id = b.tenant_id
    join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
    left join passes p on p.tenant_id = b.tenant_id and p.id = b.pass_id
    left join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
    where b.tenant_id = ${tenantId} and b.customer_id = ${customerId}`;
}

/**
 * The rows after a cursor in the list's order. A booking carries its class's start (`class_starts_at`,
 * migration 00010), so the row comparison is on `bookings_by_customer` itself: the scan seeks to the
 * cursor and a deep page costs what the first one does. The start goes to the server as text: a
 * parameter typed timestamptz is sent by postgres.js as a JS Date, which would cut the cursor's
 * microseconds and repeat or skip rows.
 */
function afterCursor(sql: Db, order: BookingOrder, after: TimeCursor | undefined) {
  if (!after) return sql``;
  const [startsAt, id] = after;
  return order === 'asc'
    ? sql`and (b.class_starts_at, b.id) > (${startsAt}::text::timestamptz, ${id})`
    : sql`and (b.class_starts_at, b.id) < (${startsAt}::text::timestamptz, ${id})`;
}

/**
 * A bound of the list as sent: an instant with its offset, or a calendar date (`2026-03-10`, ten
 * characters) on the studio's calendar — from that day's first moment, or (`through`) up to the next
 * day's first, so that `from=to=` one date is that whole day.
 */
const bound = (sql: Db, value: string, timezone: string, through = false) =>
  value.length === 10 ? sql`((${value}::date + ${through ? 1 : 0}::int)::timestamp at time zone ${timezone})` : sql`${value}::timestamptz`;

/**
 * A customer's bookings by class start time then id — `desc` newest first, `asc` soonest first —
 * keyset-paged after the sort key of the previous page's last row; `limit + 1` rows (un-awaited).
 */
export function listBookings(sql: Db, args: {
  tenantId: string; customerId: string; statuses?: BookingStatus[]; from?: string; to?: string; timezone: string; limit: number;
  order: BookingOrder; after?: TimeCursor;
}) {
  return sql<BookingRow[]>`
    ${bookingSelect(sql, args.tenantId, args.customerId)}
      ${args.statuses?.length ? sql`and b.status in ${sql(args.statuses)}` : sql``}
      ${args.from ? sql`and b.class_starts_at >= ${bound(sql, args.from, args.timezone)}` : sql``}
      ${args.to ? sql`and b.class_starts_at < ${bound(sql, args.to, args.timezone, true)}` : sql``}
      ${afterCursor(sql, args.order, args.after)}
    ${args.order === 'asc' ? sql`order by b.class_starts_at, b.id` : sql`order by b.class_starts_at desc, b.id desc`}
    limit ${args.limit + 1}`;
}

export async function getBooking(sql: Db, tenantId: string, customerId: string, bookingId: string) {
  const [row]: [BookingRow?] = await sql`${bookingSelect(sql, tenantId, customerId)} and b.id = ${bookingId}`;
  return row;
}

export const publicBooking = ({ sort: _sort, ...booking }: BookingRow) => booking;
