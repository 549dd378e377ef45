import type { Db } from '../db/connect.ts';

/** Reads of a customer's bookings for the API (writes go through `server/domain/`). */

export type BookingStatus = 'booked' | 'attended' | 'no_show' | 'cancelled_free' | 'cancelled_late';

export interface BookingRow {
  id: string;
  type: 'booking';
  status: BookingStatus;
  class: {
    id: string; name: string; class_type: string; kind: string; starts_at: string; duration_minutes: number;
    facilitator: string | null; location: string | null; credit_cost: number;
  };
  pass: { id: string; product_name: string } | null;
  credits_used: number;
  booked_at: Date;
  cancelled_at: Date | null;
  late_fee_waived: boolean;
  /** Sort key, stripped before the reply. */
  sort: [string, string];
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function bookingSelect(sql: Db, tenantId: string, customerId: string) {
  return sql`
    select b.id, 'booking' as type, b.status,
      json_build_object('id', c.id, 'name', c.name, 'class_type', c.class_type, 'kind', c.kind,
        'starts_at', ${sql.unsafe(iso('c.starts_at'))}, 'duration_minutes', c.duration_minutes,
        'facilitator', c.facilitator, 'location', c.location, 'credit_cost', c.credit_cost) as class,
      case when p.id is null then null else json_build_object('id', p.id, 'product_name', pr.name) end as pass,
      b.credits_used, b.booked_at, b.cancelled_at, b.late_fee_waived,
      array[${sql.unsafe(iso('c.starts_at'))}, b.id] as sort
    from bookings b
    join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
    left join passes p on p.tenant_id = b.tenant_id and p.id = b.pass_id
    left join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
    where b.tenant_id = ${tenantId} and b.customer_id = ${customerId}`;
}

/** A customer's bookings by class time, newest first, keyset-paged (`limit + 1` rows). */
export async function listBookings(sql: Db, args: {
  tenantId: string; customerId: string; statuses?: BookingStatus[]; from?: Date; to?: Date; limit: number;
  after?: (string | number)[];
}) {
  const [startsAt, id] = (args.after ?? []) as string[];
  return sql<BookingRow[]>`
    ${bookingSelect(sql, args.tenantId, args.customerId)}
      ${args.statuses?.length ? sql`and b.status in ${sql(args.statuses)}` : sql``}
      ${args.from ? sql`and c.starts_at >= ${args.from}` : sql``}
      ${args.to ? sql`and c.starts_at < ${args.to}` : sql``}
      ${id !== undefined ? sql`and (c.starts_at, b.id) < (${startsAt!}::timestamptz, ${id})` : sql``}
    order by c.starts_at desc, b.id desc
    limit ${args.limit + 1}`;
}

export async function getBooking(sql: Db, tenantId: string, customerId: string, bookingId: string) {
  const [row]: [BookingRow?] = await sql`${bookingSelect(sql, tenantId, customerId)} and b.id = ${bookingId}`;
  return row;
}

export const publicBooking = ({ sort: _sort, ...booking }: BookingRow) => booking;
