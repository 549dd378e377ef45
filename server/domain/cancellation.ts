import type { Db } from '../db/connect.ts';
import { freeCancelDeadlineOf } from '../data/bookings.ts';
import { recordActivity, recordAudit } from '../data/records.ts';
import { notFound } from '../http/errors.ts';
import { activityText } from './activity-text.ts';
import { expireLockedPass } from './expiry.ts';
import { dateTime, tenantRules } from './format.ts';
import { appendEntry, lockPass, type LedgerEntry } from './ledger.ts';
import { refuse } from './rules.ts';
import { settleReturnedCredits } from './subscriptions.ts';

/**
 * Cancelling a booking.
 *
 * **The free-cancellation window** is `tenants.free_cancel_hours` hours before the class starts,
 * counted on the tenant's wall clock: the deadline is the class's local start time minus N hours,
 * read in the tenant's timezone. "12 hours before a 09:00 class" is 21:00 the evening before, also
 * on the night the clocks change (when elapsed time would say 20:00 or 22:00). A cancellation **at
 * or before** the deadline is free (`cancelled_free`, and a `free_cancellation` entry gives back
 * the credits the booking used); after it, it is late (`cancelled_late`, nothing given back) unless
 * staff waive it with a reason, which gives the credits back and is written to the audit log.
 * A booking whose pass has been refunded gives nothing back (the refund voided those credits); credits
 * given back to a pass whose expiry has passed expire at once. Credits go back to the membership cycle
 * they were spent in; when that cycle has ended (a class booked ahead into the next one), they are
 * settled as its renewal would have settled them: rolled over up to the cap, the rest expired.
 * Once the class has started a booking is no longer cancelled: the visit is attended or a no-show.
 * A class the studio called off (`classes.cancelled`) is neither: its bookings cancel free at any
 * time, before or after its start, as the customer did nothing late.
 * `onlyIfFree` holds a cancellation to what its author was shown: past the deadline it is refused.
 */

export interface CancelArgs {
  tenantId: string;
  customerId: string;
  bookingId: string;
  waiveLateFee?: boolean;
  /** Cancel only while it is free (what the person cancelling was told); late, it is refused and nothing changes. */
  onlyIfFree?: boolean;
  reason?: string | null;
  actor: string;
  idempotencyKey?: string | null;
  now?: Date;
}

interface BookingRow {
  id: string;
  class_id: string;
  pass_id: string | null;
  status: string;
  credits_used: number;
  class_name: string;
  class_starts_at: Date;
  /** The studio called the class off. */
  class_cancelled: boolean;
  /** The membership cycle whose credits the booking spent (null: not a membership, or no credits). */
  debit_cycle: number | null;
  deadline: Date;
}

/** The last moment a booking of a class starting at `startsAt` can be cancelled for free. */
export async function freeCancelDeadline(sql: Db, startsAt: Date, hours: number, timezone: string): Promise<Date> {
  const [{ deadline }] = await sql<{ deadline: Date }[]>`
    select ${freeCancelDeadlineOf(sql, sql`${startsAt}::timestamptz`, hours, timezone)} as deadline`;
  return deadline;
}

export interface CancelResult {
  booking: { id: string; status: 'cancelled_free' | 'cancelled_late'; cancelled_at: Date; late_fee_waived: boolean };
  free: boolean;
  deadline: Date;
  credits_returned: number;
  entry: LedgerEntry | null;
  credits_left: number | null;
}

export async function cancelBooking(sql: Db, args: CancelArgs): Promise<CancelResult> {
  const now = args.now ?? new Date();
  const tenant = await tenantRules(sql, args.tenantId);
  const [booking]: [BookingRow?] = await sql`
    select b.id, b.class_id, b.pass_id, b.status, b.credits_used, c.name as class_name, c.starts_at as class_starts_at,
      c.cancelled as class_cancelled,
      (select l.cycle from credit_ledger l where l.tenant_id = b.tenant_id and l.booking_id = b.id and l.type = 'booking'
        order by l.entry_no limit 1) as debit_cycle,
      ${freeCancelDeadlineOf(sql, sql`c.starts_at`, tenant.free_cancel_hours, tenant.timezone)} as deadline
    from bookings b join classes c on c.tenant_id = b.tenant_id and c.id = b.class_id
    where b.tenant_id = ${args.tenantId} and b.id = ${args.bookingId} and b.customer_id = ${args.customerId}
    for update of b`;
  if (!booking) throw notFound('booking');
  if (booking.status !== 'booked') {
    refuse('booking_cancellable', booking.status.startsWith('cancelled')
      ? 'This booking is already cancelled.' : `This booking is marked ${booking.status.replace('_', ' ')} and cannot be cancelled.`);
  }
  if (!booking.class_cancelled && booking.class_starts_at.getTime() <= now.getTime()) {
    refuse('class_not_started', `${booking.class_name} started ${dateTime(booking.class_starts_at, tenant)}: `
      + 'mark the visit attended or a no-show instead of cancelling it.');
  }
  const free = booking.class_cancelled || now.getTime() <= booking.deadline.getTime();
  if (!free && args.onlyIfFree) {
    refuse('free_window_open', `Free cancellation ended ${dateTime(booking.deadline, tenant)}: cancelling now keeps the credits.`);
  }
  const waived = !free && Boolean(args.waiveLateFee);
  if (waived && (!args.reason || args.reason.trim().length < 5)) {
    refuse('reason_required', 'Waiving a late cancellation needs a reason of at least 5 characters.');
  }
  const status = free ? 'cancelled_free' : 'cancelled_late';
  let entry: LedgerEntry | null = null;
  /** Credits back on the pass to use: fewer than given back when their cycle has ended (settleReturnedCredits). */
  let returned = 0;
  let creditsLeft: number | null = null;
  let passName = '';
  if (booking.pass_id) {
    const pass = await lockPass(sql, args.tenantId, booking.pass_id);
    passName = pass.product_name;
    if ((free || waived) && booking.credits_used > 0 && pass.credits_left !== null && pass.status !== 'refunded') {
      // The credits go back to the cycle they were spent in.
      const cycle = booking.debit_cycle ?? pass.current_cycle;
      entry = await appendEntry(sql, pass, {
        type: 'free_cancellation', delta: booking.credits_used, bookingId: booking.id, actor: args.actor,
        idempotencyKey: args.idempotencyKey, at: now, cycle,
        reason: waived ? activityText(tenant.locale).late_fee_waived({ reason: args.reason!.trim() }) : null,
      });
      returned = cycle !== null && pass.current_cycle !== null && cycle < pass.current_cycle
        ? await settleReturnedCredits(sql, pass, { cycle, credits: booking.credits_used, at: now })
        : booking.credits_used;
      // Given back to a pass past its expiry (moved before the class), they expire at once, as the job would.
      await expireLockedPass(sql, pass, now, { actor: args.actor });
    }
    creditsLeft = pass.credits_left;
  }
  const [row]: [CancelResult['booking']] = await sql`
    update bookings set status = ${status}, cancelled_at = ${now}, late_fee_waived = ${waived}
    where tenant_id = ${args.tenantId} and id = ${booking.id}
    returning id, status, cancelled_at, late_fee_waived`;
  if (waived) {
    await recordAudit(sql, {
      tenantId: args.tenantId, actor: args.actor, action: 'booking.waive_late_fee', targetType: 'booking',
      targetId: booking.id, customerId: args.customerId, reason: args.reason!.trim(),
      before: { status: 'booked' }, after: { status, late_fee_waived: true, credits_returned: returned },
    });
  }
  await recordActivity(sql, {
    tenantId: args.tenantId, customerId: args.customerId, type: 'cancelled', actor: args.actor,
    summary: activityText(tenant.locale).cancelled({
      className: booking.class_name, when: dateTime(booking.class_starts_at, tenant),
      timing: booking.class_cancelled ? 'class_cancelled' : free ? 'in_time' : waived ? 'late_waived' : 'late', returned, passName,
      forfeited: !returned && !free && !waived ? booking.credits_used : 0, reason: waived ? args.reason!.trim() : undefined,
    }),
    data: {
      booking_id: booking.id, status, credits_returned: returned, entry_id: entry?.id ?? null, waived,
      reason: waived ? args.reason!.trim() : null,
    },
  });
  return { booking: row, free, deadline: booking.deadline, credits_returned: returned, entry, credits_left: creditsLeft };
}
