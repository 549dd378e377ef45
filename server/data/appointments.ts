import type { Db } from '../db/connect.ts';
import type { BookingStatus } from './replies.ts';
import { isoUtc, olderThan, timeKey, type Sorted, type TimeCursor } from './keyset.ts';

export interface AppointmentItem extends Sorted {
  id: string;
  type: 'appointment';
  service: { class_id: string; name: string; class_type: string };
  facilitator: string | null;
  location: string | null;
  starts_at: string;
  duration_minutes: number;
  status: BookingStatus;
  booked_at: string;
  cancelled_at: string | null;
  credits_used: number;
  pass: { id: string; product_name: string } | null;
}

/**
 * Bookings of classes of kind `appointment` (1:1 services), latest start first; `limit + 1` rows (un-awaited).
 * Ordered by the start each booking carries, so the page walks `bookings_by_customer` and looks up each class.
 */
export function appointmentsPage(sql: Db, args: { tenantId: string; customerId: string; after?: TimeCursor; limit: number }) {
  return sql<AppointmentItem[]>`
    select b.id, 'appointment' as type,
      json_build_object('class_id', c.id, 'name', c.name, 'class_type', c.class_type) as service,
      c.facilitator, c.location, ${isoUtc(sql, 'c.starts_at')} as starts_at, c.duration_minutes, b.status,
      ${isoUtc(sql, 'b.booked_at')} as booked_at, ${isoUtc(sql, 'b.cancelled_at')} as cancelled_at, b.credits_used,
      case when p.id is null then null else json_build_object('id', p.id, 'product_name', pr.name) end as pass,
      ${timeKey(sql, 'b.class_starts_at', 'b.id')} as sort
    from bookings b
    join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
    left join passes p on p.tenant_id = b.tenant_id and p.id = b.pass_id
    left join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
    where b.tenant_id = ${args.tenantId} and b.customer_id = ${args.customerId} and c.kind = 'appointment'
      ${olderThan(sql, 'b.class_starts_at', 'b.id', args.after)}
    order by b.class_starts_at desc, b.id desc
    limit ${args.limit + 1}`;
}
